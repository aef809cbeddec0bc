using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>
/// Every <c>up</c> is preceded by <c>pulumi preview --json</c>; a plan that does more than a node-list change (the fake
/// is told to add a forbidden step) is refused: the operation fails naming the steps, no <c>up</c> runs, the stack
/// file is put back and no up stays owed because of it.
/// </summary>
public sealed class GuardedUpTests : IAsyncLifetime
{
    private readonly TestProject _project = new();
    private TestService _service = null!;

    public async Task InitializeAsync() => _service = await TestService.StartAsync(TestService.DefaultOptions(_project));

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        _project.Dispose();
    }

    private static string State(JsonObject op) => op["operation"]!["state"]!.GetValue<string>();

    private static string Error(JsonObject op) => op["operation"]!["error"]!.GetValue<string>();

    private async Task<JsonNode?> UpOwedAsync() => (await _service.Client.GetFromJsonAsync<JsonObject>("/v1/stacks/prod"))!["upOwed"];

    [Theory]
    [InlineData(4, "config set-all --stack prod --path --plaintext fleet:pools[1].nodes[2]=a3 --plaintext fleet:pools[1].nodes[3]=a4")]
    [InlineData(1, "config rm --stack prod --path fleet:pools[1].nodes[1]")]
    public async Task A_scale_previews_then_ups(int target, string edit)
    {
        var op = await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", target));
        Assert.Equal("succeeded", State(op));
        var calls = _project.Calls();
        Assert.Equal([edit, "preview --json --stack prod", "up", "stack output pools --json --stack prod"],
            calls.Select(c => c.Argv[0] == "up" ? "up" : c.Line));
        var preview = calls[1];
        Assert.True(preview.NonInteractive);
        Assert.Null(preview.DebugCommands);
        Assert.Contains("PULUMI_ENABLE_STREAMING_JSON_PREVIEW", preview.Environment);
        Assert.DoesNotContain(preview.Environment, n => n.StartsWith("FLEET_WEBHOOK_SECRET", StringComparison.Ordinal));
        Assert.Equal(target == 4 ? ["a1", "a2", "a3", "a4"] : ["a1"], _project.DeployedNodes("burst"));
        Assert.Contains("pulumi preview --json --stack prod", op["run"]!["commands"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Theory]
    [InlineData("replace manager-server", "replace manager-server")]
    [InlineData("delete service-gateway docker:index/service:Service", "delete service-gateway")]
    [InlineData("update service-gateway docker:index/service:Service", "update service-gateway")]
    [InlineData("delete worker-cpu-1", "delete worker-cpu-1")]
    [InlineData("replace swarm-worker-token command:remote:Command", "replace swarm-worker-token")]
    public async Task A_plan_beyond_the_node_lists_is_refused_and_nothing_is_applied(string step, string reported)
    {
        _project.PreviewAlsoPlans(step);
        var before = _project.StackFile();
        var op = await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 4));

        Assert.Equal("failed", State(op));
        Assert.Contains(reported, Error(op));
        Assert.Contains("`pulumi up` was not run", Error(op));
        Assert.Single(_project.Previews());
        Assert.Empty(_project.Ups());
        Assert.Equal(before, _project.StackFile()); // the edit is put back
        Assert.Equal(["a1", "a2"], _project.Servers("burst"));
        Assert.Null(await UpOwedAsync());          // nothing was deployed: no up is owed

        // Once the plan is clean again, the same target is planned, previewed and deployed.
        _project.PreviewAlsoPlans();
        Assert.Equal("succeeded", State(await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 4))));
        Assert.Single(_project.Ups());
        Assert.Equal(["a1", "a2", "a3", "a4"], _project.DeployedNodes("burst"));
    }

    [Fact]
    public async Task The_refusal_lists_every_refused_step()
    {
        _project.PreviewAlsoPlans("replace manager-server", "delete service-gateway docker:index/service:Service", "update caddyfile docker:index/serviceConfig:ServiceConfig");
        var op = await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 1));
        Assert.Equal("failed", State(op));
        Assert.Contains("3 step(s)", Error(op));
        Assert.Contains("replace manager-server, delete service-gateway, update caddyfile", Error(op));
        Assert.DoesNotContain("worker-burst", Error(op)); // the node-list steps themselves were fine
        Assert.Empty(_project.Ups());
        Assert.Equal(["a1", "a2"], _project.ConfiguredNodes("burst"));
    }

    [Fact]
    public async Task An_owed_up_refused_by_its_preview_stays_owed_but_is_retried_only_when_asked()
    {
        // An up that fails leaves an up owed (the cloud may be half-changed) ...
        _project.UpBehaves("fail", "succeed");
        Assert.Equal("failed", State(await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 3))));
        Assert.NotNull(await UpOwedAsync());

        // ... the next operation reconciles, but the preview now plans a forbidden step: refused, still owed.
        _project.PreviewAlsoPlans("replace manager-server");
        var op = await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 2));
        Assert.Equal("failed", State(op));
        Assert.Contains("replace manager-server", Error(op));
        Assert.Single(_project.Ups());
        Assert.NotNull(await UpOwedAsync());

        // Nothing retries on its own: no preview and no up without a request.
        var previews = _project.Previews().Count;
        await Task.Delay(1500);
        Assert.Equal(previews, _project.Previews().Count);
        Assert.Single(_project.Ups());

        // Fixed: the next request pays the debt.
        _project.PreviewAlsoPlans();
        Assert.Equal("succeeded", State(await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 2))));
        Assert.Equal(2, _project.Ups().Count);
        Assert.Null(await UpOwedAsync());
    }
}
