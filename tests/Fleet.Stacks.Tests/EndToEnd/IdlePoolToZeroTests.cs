using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Stacks.Tests.EndToEnd;

/// <summary>
/// The other half of scale from zero, through the service: a pool with <c>min: 0</c> whose one node the gateway reports
/// idle goes back to zero nodes after the quiet period (drained first, then removed by an <c>up</c>), and stays there.
/// </summary>
public sealed class IdlePoolToZeroTests : IAsyncLifetime
{
    private const string OneBurst = """{"cpu":{"size":"c-8","gpu":false,"nodes":["1"]},"burst":{"size":"c-4","gpu":false,"nodes":["n1"]}}""";
    private readonly TestProject _project = new(TestProject.ProdYaml.Replace("nodes: [\"a1\", \"a2\"]", "nodes: [\"n1\"]").Replace("min: 1", "min: 0"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private FakeGateway _gateway = null!;
    private TestService _service = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(_project.Control, "deployed.prod.json"), OneBurst);
        _gateway = await FakeGateway.StartAsync(() => _project.Calls().Count);
        _gateway.Node("fleet-prod-burst-n1", "burst"); // ready, 4 slots, none busy, nothing queued
        _service = await TestService.StartAsync(TestService.DefaultOptions(_project, _gateway.Url), time: _time);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _gateway.DisposeAsync();
        _project.Dispose();
    }

    [Fact]
    public async Task An_idle_pool_with_min_0_goes_down_to_no_node_after_the_quiet_period_and_stays_there()
    {
        var watcher = _service.App.Services.GetRequiredService<FleetWatcher>();
        Assert.Empty(await watcher.TickAsync(default)); // quiet from now
        _time.Advance(TimeSpan.FromMinutes(14));
        Assert.Empty(await watcher.TickAsync(default));
        Assert.Equal("steady", watcher.StateOf("prod", "burst").LastReason);
        Assert.Empty(_project.Calls());

        _time.Advance(TimeSpan.FromMinutes(1));
        var decision = Assert.Single(await watcher.TickAsync(default));
        Assert.Equal(("down", 1, 0, "quiet"), (decision.Action, decision.From, decision.Target, decision.Reason));
        await Eventually.TrueAsync(() => _service.App.Services.GetRequiredService<OperationStore>().PendingCount("prod") == 0, "the quiet pool's up");
        Assert.Empty(_project.DeployedNodes("burst"));

        // Drained at the gateway before anything was removed; then the node list emptied and deployed.
        var drains = _gateway.Requests.Where(r => r.Method == "POST").ToArray();
        Assert.NotEmpty(drains);
        Assert.All(drains, d => Assert.Equal(("/admin/v1/nodes/fleet-prod-burst-n1/drain", 0), (d.Path, d.PulumiCallsBefore)));
        Assert.Empty(_project.ConfiguredNodes("burst"));
        Assert.Single(_project.Ups());

        // At zero, with no demand: nothing more (the pool is at its min; there is no node to be quiet).
        _gateway.Nodes.Clear();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await watcher.TickAsync(default));
        Assert.Equal("no-ready-nodes", watcher.StateOf("prod", "burst").LastReason);
        Assert.Single(_project.Ups());
    }
}
