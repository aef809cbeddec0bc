using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>An empty pool (<c>nodes: []</c>, <c>min: 0</c>) gets its first node when the gateway holds requests for its model.</summary>
public sealed class ScaleFromZeroTests : IAsyncLifetime
{
    private const string EmptyBurst = """{"cpu":{"size":"c-8","gpu":false,"nodes":["1"]},"burst":{"size":"c-4","gpu":false,"nodes":[]}}""";
    private readonly TestProject _project = new(TestProject.ProdYaml.Replace("nodes: [\"a1\", \"a2\"]", "nodes: []").Replace("min: 1", "min: 0"));
    private FakeGateway _gateway = null!;
    private TestService _service = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(_project.Control, "deployed.prod.json"), EmptyBurst);
        _gateway = await FakeGateway.StartAsync(() => _project.Calls().Count);
        _gateway.Node("fleet-prod-cpu-1", "cpu").Model = "other-model";
        _service = await TestService.StartAsync(TestService.DefaultOptions(_project, _gateway.Url));
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _gateway.DisposeAsync();
        _project.Dispose();
    }

    [Fact]
    public async Task An_empty_pool_gets_an_up_that_adds_one_node_once_the_gateway_holds_requests_for_its_model()
    {
        var watcher = _service.App.Services.GetRequiredService<FleetWatcher>();
        Assert.Empty(await watcher.TickAsync(default)); // no demand: the empty pool stays empty
        Assert.Equal("no-ready-nodes", watcher.StateOf("prod", "burst").LastReason);

        _gateway.Held["tiny"] = 2; // the model id of fleet:model (tiny.gguf)
        var decision = Assert.Single(await watcher.TickAsync(default));
        Assert.Equal(("up", 0, 1, "cold-start"), (decision.Action, decision.From, decision.Target, decision.Reason));
        await Eventually.TrueAsync(() => _service.App.Services.GetRequiredService<OperationStore>().PendingCount("prod") == 0, "the cold start's up");
        Assert.Equal("config set-all --stack prod --path --plaintext fleet:pools[1].nodes[0]=n1", _project.Calls()[0].Line);
        Assert.Equal(["n1"], _project.DeployedNodes("burst"));
        Assert.Equal(["n1"], _project.ConfiguredNodes("burst"));

        // n1 is booting (not heard of yet): the held requests start no second node.
        Assert.Empty(await watcher.TickAsync(default));
        Assert.Equal("starting", watcher.StateOf("prod", "burst").LastReason);
        Assert.Single(_project.Ups());
        Assert.Contains("fleet_stacks_autoscaler_decisions_total{stack=\"prod\",pool=\"burst\",action=\"up\",reason=\"cold-start\"} 1",
            await _service.Client.GetStringAsync("/metrics"));
    }
}
