using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>Scale-down drains through the gateway before removing; a dead node is replaced new-first.</summary>
public sealed class DrainAndReplaceTests : IAsyncLifetime
{
    private readonly TestProject _project = new();
    private FakeGateway _gateway = null!;
    private TestService _service = null!;

    public async Task InitializeAsync()
    {
        _gateway = await FakeGateway.StartAsync(() => _project.Calls().Count);
        _service = await TestService.StartAsync(TestService.DefaultOptions(_project, _gateway.Url));
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _gateway.DisposeAsync();
        _project.Dispose();
    }

    [Fact]
    public async Task Scale_down_drains_the_least_loaded_node_waits_for_its_work_then_removes_it()
    {
        var a1 = _gateway.Node("fleet-prod-burst-a1", "burst");
        a1.SlotsBusy = 1; a1.InFlight = 2;
        var a2 = _gateway.Node("fleet-prod-burst-a2", "burst");
        a2.SlotsBusy = 4; a2.InFlight = 5;

        var op = await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 1));
        Assert.Equal("succeeded", op["operation"]!["state"]!.GetValue<string>());

        var drains = _gateway.Requests.Where(r => r.Method == "POST").ToArray();
        Assert.Equal(["/admin/v1/nodes/fleet-prod-burst-a1/drain", "/admin/v1/nodes/fleet-prod-burst-a1/drain"], drains.Select(d => d.Path));
        Assert.All(drains, d => Assert.Equal(0, d.PulumiCallsBefore)); // every drain poll came before any pulumi call
        Assert.Equal(0, a1.InFlight);
        var calls = _project.Calls();
        Assert.Equal("config rm --stack prod --path fleet:pools[1].nodes[0]", calls[0].Line);
        Assert.Equal("preview --json --stack prod", calls[1].Line);
        Assert.Equal("up", calls[2].Argv[0]);
        Assert.Equal(["a2"], _project.DeployedNodes("burst"));
    }

    [Fact]
    public async Task Scale_down_prefers_idle_nodes_and_removes_from_the_end_first()
    {
        foreach (var id in new[] { "a1", "a2" }) _gateway.Node($"fleet-prod-burst-{id}", "burst").SlotsBusy = 1;
        Assert.Equal("succeeded", (await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 5)))["operation"]!["state"]!.GetValue<string>());
        foreach (var id in new[] { "a3", "a4", "a5" }) _gateway.Node($"fleet-prod-burst-{id}", "burst");
        _gateway.Nodes["fleet-prod-burst-a4"].SlotsBusy = 2;
        var before = _project.Calls().Count;

        Assert.Equal("succeeded", (await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 3)))["operation"]!["state"]!.GetValue<string>());
        var edits = _project.Calls().Skip(before).Where(c => c.Argv[0] == "config").Select(c => c.Line).ToArray();
        // a3 and a5 are idle: a5 (index 4) goes before a3 (index 2) so the second index is still right.
        Assert.Equal(["config rm --stack prod --path fleet:pools[1].nodes[4]", "config rm --stack prod --path fleet:pools[1].nodes[2]"], edits);
        Assert.Equal(["a1", "a2", "a4"], _project.DeployedNodes("burst"));
    }

    [Fact]
    public async Task A_dead_node_is_replaced_by_adding_first_and_removing_once_the_new_one_is_ready()
    {
        _gateway.Node("fleet-prod-burst-a1", "burst");
        var dead = _gateway.Node("fleet-prod-burst-a2", "burst", state: "dead");
        dead.SilenceSeconds = 400;
        _project.UpBehaves("gate", "succeed");
        var watcher = _service.App.Services.GetRequiredService<FleetWatcher>();

        await watcher.TickAsync(default);
        await Eventually.TrueAsync(() => _project.UpRunning(), "the up that adds the replacement");
        Assert.Equal("config set-all --stack prod --path --plaintext fleet:pools[1].nodes[2]=a3", _project.Calls()[0].Line);
        await watcher.TickAsync(default); // still dead, already being replaced: nothing new is queued
        _project.Release();
        await Eventually.TrueAsync(() => _gateway.Requests.Count(r => r.Path == "/admin/v1/nodes") >= 3, "the service to wait for the new node");
        Assert.DoesNotContain(_project.Calls(), c => c.Argv[1] == "rm");
        _gateway.Node("fleet-prod-burst-a3", "burst"); // the new node's first heartbeat
        await Eventually.TrueAsync(() => _project.Calls().Count == 8, "the dead node's removal");

        Assert.Equal(
        [
            "config set-all --stack prod --path --plaintext fleet:pools[1].nodes[2]=a3",
            "preview --json --stack prod",
            "up",
            "stack output pools --json --stack prod",
            "config rm --stack prod --path fleet:pools[1].nodes[1]",
            "preview --json --stack prod",
            "up",
            "stack output pools --json --stack prod",
        ], _project.Calls().Select(c => c.Argv[0] == "up" ? "up" : c.Line));
        Assert.Equal(["a1", "a3"], _project.DeployedNodes("burst"));
        Assert.Contains("fleet_stacks_replacements_total{stack=\"prod\",pool=\"burst\"} 1", await _service.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Nothing_is_replaced_while_the_gateway_guards_against_a_partition()
    {
        _gateway.Node("fleet-prod-burst-a1", "burst", state: "dead").SilenceSeconds = 900;
        _gateway.PartitionGuard = true;
        await _service.App.Services.GetRequiredService<FleetWatcher>().TickAsync(default);
        Assert.Empty(_project.Calls());
    }

    [Fact]
    public async Task The_autoscaler_scales_up_after_saturated_windows_and_exposes_its_decisions()
    {
        foreach (var id in new[] { "a1", "a2" })
        {
            var n = _gateway.Node($"fleet-prod-burst-{id}", "burst");
            n.SlotsBusy = 4; n.QueueDepth = 6;
        }
        var watcher = _service.App.Services.GetRequiredService<FleetWatcher>();
        Assert.Empty(await watcher.TickAsync(default));
        var decision = Assert.Single(await watcher.TickAsync(default));
        Assert.Equal(("up", 2, 3, "queue"), (decision.Action, decision.From, decision.Target, decision.Reason));
        await Eventually.TrueAsync(() => _project.DeployedNodes("burst").Count == 3, "the autoscaler's up");

        var metrics = await _service.Client.GetStringAsync("/metrics");
        Assert.Contains("fleet_stacks_autoscaler_decisions_total{stack=\"prod\",pool=\"burst\",action=\"hold\",reason=\"warming\"} 1", metrics);
        Assert.Contains("fleet_stacks_autoscaler_decisions_total{stack=\"prod\",pool=\"burst\",action=\"up\",reason=\"queue\"} 1", metrics);
    }

    [Fact]
    public async Task The_cooldown_follows_any_up_of_the_stack()
    {
        Assert.Equal("succeeded", (await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 3)))["operation"]!["state"]!.GetValue<string>());
        foreach (var id in new[] { "a1", "a2", "a3" })
        {
            var n = _gateway.Node($"fleet-prod-burst-{id}", "burst");
            n.SlotsBusy = 4; n.QueueDepth = 6;
        }
        var watcher = _service.App.Services.GetRequiredService<FleetWatcher>();
        Assert.Empty(await watcher.TickAsync(default));
        Assert.Empty(await watcher.TickAsync(default));
        Assert.Equal("cooldown", watcher.StateOf("prod", "burst").LastReason);
        Assert.Contains("fleet_stacks_autoscaler_decisions_total{stack=\"prod\",pool=\"burst\",action=\"hold\",reason=\"cooldown\"} 2", await _service.Client.GetStringAsync("/metrics"));
    }
}
