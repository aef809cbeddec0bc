using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>A replacement interrupted after its edit is resumed with the id it chose: never two new nodes for one dead one.</summary>
public sealed class ReplaceCrashTests : IAsyncLifetime
{
    private readonly TestProject _project = new();
    private FakeGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await FakeGateway.StartAsync(() => _project.Calls().Count);

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _project.Dispose();
    }

    [Fact]
    public async Task A_replacement_stopped_after_its_edit_adds_no_second_node_after_restart()
    {
        _gateway.Node("fleet-prod-burst-a1", "burst");
        _gateway.Node("fleet-prod-burst-a2", "burst", state: "dead").SilenceSeconds = 400;
        var options = TestService.DefaultOptions(_project, _gateway.Url);
        await using (var first = await TestService.StartAsync(options))
        {
            _project.PauseAt("config:after"); // a3 is written to the stack file, then the service stops
            await first.App.Services.GetRequiredService<FleetWatcher>().TickAsync(default);
            await Eventually.TrueAsync(() => _project.Paused() is not null, "the edit that adds the replacement");
            Assert.Equal(["a1", "a2", "a3"], _project.ConfiguredNodes("burst"));
        }
        File.Delete(Path.Combine(_project.Control, "pause"));

        _gateway.Node("fleet-prod-burst-a3", "burst"); // the replacement reports ready once deployed
        await using var second = await TestService.StartAsync(options);
        await Eventually.TrueAsync(() => _project.DeployedNodes("burst").SequenceEqual(["a1", "a3"]), "the dead node's removal", 60);
        Assert.DoesNotContain(_project.AllCalls(), c => c.Line.Contains("=a4"));
        Assert.Equal(["a1", "a3"], _project.Servers("burst"));
        Assert.Equal(["a1", "a3"], _project.ConfiguredNodes("burst"));
    }
}
