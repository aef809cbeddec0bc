using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Persistence;
using Fleet.Stacks.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Stacks.Tests.EndToEnd;

/// <summary>
/// On Hetzner (billed per started hour) an idle <c>min: 0</c> pool keeps its node until the last minutes of the hour it
/// has paid for, then goes down to no node: through the service, its clock faked, the node added by the service's own
/// <c>up</c> (so its creation time is known) and reported idle by the gateway.
/// </summary>
public sealed class IdleHetznerPoolTests : IAsyncLifetime
{
    private const string Yaml = """
        config:
          fleet:cloud: hetzner
          fleet:region: fsn1
          fleet:adminCidrs: ["203.0.113.7/32"]
          fleet:manager:
            size: cx23
          fleet:pools:
            - name: cpu
              size: cpx32
              count: 1
            - name: burst
              size: cpx32
              nodes: []
              min: 0
              max: 3
              autoscale: true
          fleet:model:
            url: https://example.com/models/tiny.gguf
            sha256: "0000000000000000000000000000000000000000000000000000000000000000"
          fleet:images:
            agent: registry.example.com/fleet/agent:0.1.0
            gateway: registry.example.com/fleet/gateway:0.1.0
          fleet:policy:
            enforcement: advisory
        """;

    private readonly TestProject _project = new(Yaml);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private FakeGateway _gateway = null!;
    private TestService _service = null!;

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(_project.Control, "deployed.prod.json"), """{"cpu":{"size":"cpx32","gpu":false,"nodes":["1"]},"burst":{"size":"cpx32","gpu":false,"nodes":[]}}""");
        _gateway = await FakeGateway.StartAsync(() => _project.Calls().Count);
        _service = await TestService.StartAsync(TestService.DefaultOptions(_project, _gateway.Url), time: _time);
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _gateway.DisposeAsync();
        _project.Dispose();
    }

    [Fact]
    public async Task An_idle_pool_keeps_its_node_until_the_end_of_the_paid_hour_then_goes_to_zero()
    {
        var accepted = await _service.ScaleAsync("burst", 1, at: _time.GetUtcNow());
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>();
        Assert.Equal("succeeded", (await _service.FinishedOperationAsync(id))["operation"]!["state"]!.GetValue<string>());
        _gateway.Node("fleet-prod-burst-n1", "burst"); // n1 booted: ready, idle
        var watcher = _service.App.Services.GetRequiredService<FleetWatcher>();

        Assert.Empty(await watcher.TickAsync(default)); // quiet from now (and in the cooldown of its own up)
        _time.Advance(TimeSpan.FromMinutes(20));
        Assert.Empty(await watcher.TickAsync(default)); // quiet long enough, but 40 of its paid minutes are left
        Assert.Equal("paid-hour", watcher.StateOf("prod", "burst").LastReason);
        _time.Advance(TimeSpan.FromMinutes(34));
        Assert.Empty(await watcher.TickAsync(default)); // 6 minutes left
        Assert.Equal("paid-hour", watcher.StateOf("prod", "burst").LastReason);
        Assert.Single(_project.Ups());

        _time.Advance(TimeSpan.FromMinutes(2)); // 4 minutes left: inside the last 5
        var decision = Assert.Single(await watcher.TickAsync(default));
        Assert.Equal(("down", 1, 0, "quiet"), (decision.Action, decision.From, decision.Target, decision.Reason));
        await Eventually.TrueAsync(() => _service.App.Services.GetRequiredService<OperationStore>().PendingCount("prod") == 0, "the quiet pool's up");
        Assert.Empty(_project.DeployedNodes("burst"));
        Assert.Equal(2, _project.Ups().Count);
        Assert.Contains("fleet_stacks_autoscaler_decisions_total{stack=\"prod\",pool=\"burst\",action=\"hold\",reason=\"paid-hour\"} 2",
            await _service.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_node_whose_recorded_creation_is_in_the_future_counts_as_unknown_and_goes_once_quiet()
    {
        var accepted = await _service.ScaleAsync("burst", 1, at: _time.GetUtcNow());
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>();
        Assert.Equal("succeeded", (await _service.FinishedOperationAsync(id))["operation"]!["state"]!.GetValue<string>());
        _gateway.Node("fleet-prod-burst-n1", "burst");
        // The ledger says n1 was created 3 hours from now (written while the host's clock ran ahead, since corrected):
        // how much of its paid hour is left is unknown, as for a node the service did not create.
        new NodeLedger(_service.App.Services.GetRequiredService<StacksDatabase>(), new FakeTimeProvider(_time.GetUtcNow().AddHours(3)))
            .Added("prod", "burst", ["n1"]);
        var watcher = _service.App.Services.GetRequiredService<FleetWatcher>();

        Assert.Empty(await watcher.TickAsync(default));
        _time.Advance(TimeSpan.FromMinutes(20));
        var decision = Assert.Single(await watcher.TickAsync(default));

        Assert.Equal(("down", 1, 0, "quiet"), (decision.Action, decision.From, decision.Target, decision.Reason));
    }

    [Fact]
    public async Task A_node_created_during_a_long_up_counts_its_paid_hour_from_the_start_of_that_up()
    {
        _project.UpBehaves("gate", "succeed");
        var accepted = await _service.ScaleAsync("burst", 1, at: _time.GetUtcNow());
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>();
        await Eventually.TrueAsync(() => _project.UpRunning(), "the up to start");
        _time.Advance(TimeSpan.FromSeconds(90)); // the up takes 90 s (its bound is 2 min); Hetzner bills n1 from its creation within it
        _project.Release();
        Assert.Equal("succeeded", (await _service.FinishedOperationAsync(id))["operation"]!["state"]!.GetValue<string>());
        _gateway.Node("fleet-prod-burst-n1", "burst");
        var watcher = _service.App.Services.GetRequiredService<FleetWatcher>();

        Assert.Empty(await watcher.TickAsync(default));
        _time.Advance(TimeSpan.FromMinutes(54)); // 55.5 minutes after the up started: at most 4.5 of n1's paid minutes are left
        var decision = Assert.Single(await watcher.TickAsync(default));

        Assert.Equal(("down", 1, 0, "quiet"), (decision.Action, decision.From, decision.Target, decision.Reason));
    }
}
