using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Stacks.Autoscaling;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests.Console;

/// <summary>
/// Drain, replace and autoscale through the console's HTTP routes, against the running service, the fake CLI and the fake
/// gateway: each an operation on the webhook's path, applied by the stack's writer, refused with the field and the fix.
/// </summary>
public sealed class ConsoleActionTests : IAsyncLifetime
{
    /// <summary>The test project with its cpu pool listing its node (so it is managed too), min 1.</summary>
    public static readonly string Yaml = TestProject.ProdYaml.Replace("""
              size: c-8
              count: 1
        """, """
              size: c-8
              nodes: ["1"]
              min: 1
              max: 3
        """, StringComparison.Ordinal);

    private ConsoleHost _host = null!;

    public async Task InitializeAsync()
    {
        Assert.Contains("nodes: [\"1\"]", Yaml, StringComparison.Ordinal);
        _host = await ConsoleHost.StartAsync(yaml: Yaml);
        _host.Gateway.Node("fleet-prod-burst-a1", "burst");
        _host.Gateway.Node("fleet-prod-burst-a2", "burst");
        _host.Gateway.Node("fleet-prod-cpu-1", "cpu");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Drain_removes_the_named_node_after_the_gateway_drained_it()
    {
        _host.Gateway.Node("fleet-prod-burst-a1", "burst").InFlight = 2; // finishes one request per drain poll

        using var response = await _host.ActAsync("drain", """{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a1"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("drain", "fleet-prod-burst-a1", 1, false), (accepted["kind"]!.GetValue<string>(), accepted["node"]!.GetValue<string>(),
            accepted["target"]!.GetValue<int>(), accepted["duplicate"]!.GetValue<bool>()));
        var op = await new TestServiceClient(_host.Client).FinishedAsync(accepted["operationId"]!.GetValue<string>());
        Assert.Equal(("drain", "console", "succeeded", "a1"), (op["kind"]!.GetValue<string>(), op["source"]!.GetValue<string>(), op["state"]!.GetValue<string>(), op["node"]!.GetValue<string>()));
        // The default victim would have been a2 (the highest id): the named node went instead, drained before any pulumi call.
        Assert.Equal(["a2"], _host.Project.DeployedNodes("burst"));
        var drains = _host.Gateway.Requests.Where(r => r.Method == "POST").ToArray();
        Assert.Equal(Enumerable.Repeat("/admin/v1/nodes/fleet-prod-burst-a1/drain", 2), drains.Select(r => r.Path));
        Assert.All(drains, r => Assert.Equal(0, r.PulumiCallsBefore));
    }

    [Fact]
    public async Task Replace_adds_a_new_node_first_then_drains_and_removes_the_named_one()
    {
        _host.Gateway.Node("fleet-prod-burst-a3", "burst"); // the new node reports ready as soon as it is asked about

        using var response = await _host.ActAsync("replace", """{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a1"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var op = await new TestServiceClient(_host.Client).FinishedAsync((await response.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>());
        Assert.Equal(("replace", "console", "succeeded"), (op["kind"]!.GetValue<string>(), op["source"]!.GetValue<string>(), op["state"]!.GetValue<string>()));
        Assert.Equal(
        [
            "config set-all --stack prod --path --plaintext fleet:pools[1].nodes[2]=a3",
            "up",
            "config rm --stack prod --path fleet:pools[1].nodes[0]",
            "up",
        ], _host.Project.Calls().Where(c => c.Argv[0] is "config" or "up").Select(c => c.Argv[0] == "up" ? "up" : c.Line));
        Assert.Equal(["a2", "a3"], _host.Project.DeployedNodes("burst"));
        var drain = Assert.Single(_host.Gateway.Requests, r => r.Method == "POST");
        Assert.Equal("/admin/v1/nodes/fleet-prod-burst-a1/drain", drain.Path);
        Assert.True(drain.PulumiCallsBefore > _host.Project.Calls().ToList().FindIndex(c => c.Argv[0] == "up"), "drained only after the new node's up");
    }

    [Fact]
    public async Task A_repeated_action_returns_the_pending_operation()
    {
        using var first = await _host.ActAsync("drain", """{"stack":"prod","pool":"burst","node":"a1"}""", requestId: "b5b1a3a2-0000-4000-8000-000000000001");
        using var again = await _host.ActAsync("drain", """{"stack":"prod","pool":"burst","node":"a1"}""", requestId: "b5b1a3a2-0000-4000-8000-000000000001");
        var a = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        var b = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((a["operationId"]!.GetValue<string>(), true, "fleet-prod-burst-a1"), (b["operationId"]!.GetValue<string>(), b["duplicate"]!.GetValue<bool>(), b["node"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("drain", """{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a9"}""", 404, "unknown_node", "node", "its nodes: fleet-prod-burst-a1, fleet-prod-burst-a2")]
    [InlineData("replace", """{"stack":"prod","pool":"burst","node":"fleet-prod-cpu-1"}""", 422, "node_in_other_pool", "node", "send \"pool\": \"cpu\"")]
    [InlineData("drain", """{"stack":"prod","pool":"gpu","node":"fleet-prod-burst-a1"}""", 404, "unknown_pool", "pool", "its pools: cpu, burst")]
    [InlineData("drain", """{"stack":"dev","pool":"burst","node":"fleet-prod-burst-a1"}""", 404, "unknown_stack", "stack", "it serves: prod")]
    [InlineData("drain", """{"stack":"prod","pool":"cpu","node":"fleet-prod-cpu-1"}""", 422, "below_min", "node", "pulumi config set --path 'fleet:pools[0].min' 0")]
    [InlineData("autoscale", """{"stack":"prod","pool":"cpu","paused":true}""", 422, "autoscale_off", "pool", "pulumi config set --path 'fleet:pools[0].autoscale' true")]
    [InlineData("autoscale", """{"stack":"prod","pool":"burst","paused":"yes"}""", 400, "invalid_body", "paused", "paused must be true or false, got \"yes\"")]
    [InlineData("drain", """{"stack":"prod","pool":"burst","node":"a1","nodes":1}""", 400, "invalid_body", "nodes", "unknown field nodes")]
    [InlineData("replace", """{"stack":"prod","pool":"burst"}""", 400, "invalid_body", "node", "node is required")]
    public async Task Bad_input_is_refused_naming_the_field_and_the_fix_and_records_nothing(string action, string body, int status, string code, string field, string fix)
    {
        using var response = await _host.ActAsync(action, body);

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((code, field), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        Assert.Contains(fix, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await _host.OperationCountAsync());
    }

    [Fact]
    public async Task A_second_drain_that_would_go_below_min_is_refused_with_the_size_it_would_leave()
    {
        using var first = await _host.ActAsync("drain", """{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a1"}""");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var second = await _host.ActAsync("drain", """{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a2"}""");

        Assert.Equal(422, (int)second.StatusCode);
        Assert.Equal("draining fleet-prod-burst-a2 would leave pool burst 0 node(s), below its min 1; replace the node instead, or lower the min: pulumi config set --path 'fleet:pools[1].min' 0",
            (await second.Content.ReadFromJsonAsync<JsonObject>())!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_replace_of_a_node_being_drained_is_refused_naming_the_drain()
    {
        _host.Gateway.Node("fleet-prod-burst-a1", "burst").InFlight = int.MaxValue; // the drain stays pending (its bound is 30 s)
        using var drain = await _host.ActAsync("drain", """{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a1"}""");
        var drainId = (await drain.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>();

        using var replace = await _host.ActAsync("replace", """{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a1"}""");

        Assert.Equal(HttpStatusCode.Conflict, replace.StatusCode);
        var error = (await replace.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("node_busy", "node"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        Assert.Contains($"fleet-prod-burst-a1 is being drained by operation {drainId}", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await _host.OperationCountAsync());
    }

    [Fact]
    public async Task A_drain_of_a_node_being_replaced_is_refused_naming_the_replacement()
    {
        // The replacement's new node (a3) never reports ready, so the replacement stays pending (its bound is 30 s).
        using var replace = await _host.ActAsync("replace", """{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a1"}""");
        var replaceId = (await replace.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>();

        using var drain = await _host.ActAsync("drain", """{"stack":"prod","pool":"burst","node":"fleet-prod-burst-a1"}""");

        Assert.Equal(HttpStatusCode.Conflict, drain.StatusCode);
        var error = (await drain.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("node_busy", "node"), (error["code"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
        Assert.Contains($"fleet-prod-burst-a1 is being replaced by operation {replaceId}", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, await _host.OperationCountAsync());
    }

    [Theory]
    [InlineData("drain")]
    [InlineData("replace")]
    [InlineData("autoscale")]
    public async Task Every_action_needs_the_console_token(string action)
    {
        using var response = await _host.ActAsync(action, """{"stack":"prod","pool":"burst","paused":true}""", token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await _host.OperationCountAsync());
    }

    [Fact]
    public async Task A_paused_autoscaler_holds_its_pool_survives_a_restart_and_resumes()
    {
        using var pause = await _host.ActAsync("autoscale", """{"stack":"prod","pool":"burst","paused":true}""");
        Assert.Equal(HttpStatusCode.Accepted, pause.StatusCode);
        var op = await new TestServiceClient(_host.Client).FinishedAsync((await pause.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!.GetValue<string>());
        Assert.Equal(("autoscale", "succeeded", "autoscaler paused"), (op["kind"]!.GetValue<string>(), op["state"]!.GetValue<string>(), op["reason"]!.GetValue<string>()));

        // A restart on the same database: still paused, and the autoscaler holds the pool with that reason.
        _host = await _host.RestartAsync();
        _host.Gateway.Node("fleet-prod-burst-a1", "burst");
        Assert.Equal(["burst"], (await StateAsync())["stacks"]![0]!["autoscalePaused"]!.AsArray().Select(p => p!.GetValue<string>()));
        var watcher = _host.App.Services.GetRequiredService<FleetWatcher>();
        await watcher.TickAsync(default);
        Assert.Equal("paused", watcher.StateOf("prod", "burst").LastReason);

        using var resume = await _host.ActAsync("autoscale", """{"stack":"prod","pool":"burst","paused":false}""");
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        Assert.Empty((await StateAsync())["stacks"]![0]!["autoscalePaused"]!.AsArray());
        await watcher.TickAsync(default);
        Assert.NotEqual("paused", watcher.StateOf("prod", "burst").LastReason);
    }

    [Fact]
    public async Task The_state_lists_each_managed_node_with_its_gateway_name()
    {
        var nodes = (await StateAsync())["stacks"]![0]!["nodes"]!.AsArray().Select(n => n!.ToJsonString());
        Assert.Equal(
        [
            """{"pool":"cpu","id":"1","node":"fleet-prod-cpu-1"}""",
            """{"pool":"burst","id":"a1","node":"fleet-prod-burst-a1"}""",
            """{"pool":"burst","id":"a2","node":"fleet-prod-burst-a2"}""",
        ], nodes);
    }

    private async Task<JsonObject> StateAsync() => (await _host.Client.GetFromJsonAsync<JsonObject>("/console/api/state"))!;
}
