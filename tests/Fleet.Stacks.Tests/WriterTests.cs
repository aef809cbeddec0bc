using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>The stack's single writer driving the fake CLI: exact argv, coalescing, retries, failures.</summary>
public sealed class WriterTests : IAsyncLifetime
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

    [Fact]
    public async Task Scale_up_appends_new_ids_then_runs_up_with_an_event_log()
    {
        var id = await _service.AcceptedOperationAsync("burst", 4);
        var op = await _service.FinishedOperationAsync(id);
        Assert.Equal("succeeded", State(op));

        var calls = _project.Calls();
        var log = calls[2].Argv[^1];
        Assert.Equal(
        [
            "config set-all --stack prod --path --plaintext fleet:pools[1].nodes[2]=a3 --plaintext fleet:pools[1].nodes[3]=a4",
            "preview --json --stack prod",
            $"up --yes --skip-preview --stack prod --event-log {log}",
            "stack output pools --json --stack prod",
        ], calls.Select(c => c.Line));
        Assert.All(calls, c => Assert.True(c.NonInteractive));
        Assert.Equal([null, null, "true", null], calls.Select(c => c.DebugCommands));
        Assert.EndsWith("eventlog.txt", log);

        Assert.Equal(["a1", "a2", "a3", "a4"], _project.DeployedNodes("burst"));
        var up = op["run"]!["summary"]!.GetValue<string>();
        Assert.Contains("\"create\":2", up);
        var stack = (await _service.Client.GetFromJsonAsync<JsonObject>("/v1/stacks/prod"))!;
        var burst = stack["pools"]!.AsArray().Single(p => p!["pool"]!.GetValue<string>() == "burst")!;
        Assert.Equal(4, burst["desired"]!.GetValue<int>());
        Assert.Equal(4, burst["configured"]!.AsArray().Count);
        Assert.Equal(4, burst["deployed"]!.AsArray().Count);
    }

    [Fact]
    public async Task Ten_webhooks_during_a_running_up_make_exactly_one_next_up_with_the_latest_target()
    {
        _project.UpBehaves("gate", "gate");
        var first = await _service.AcceptedOperationAsync("burst", 3);
        await Eventually.TrueAsync(() => _project.UpRunning(), "the first up to start");

        var targets = new[] { 4, 6, 2, 5, 6, 3, 4, 6, 5, 5 };
        var ids = new List<string>();
        foreach (var t in targets) ids.Add(await _service.AcceptedOperationAsync("burst", t));
        _project.Release();
        await Eventually.TrueAsync(() => _project.Ups().Count == 2 && _project.UpRunning(), "the second up to start");
        _project.Release();

        foreach (var id in ids) Assert.Equal("succeeded", State(await _service.FinishedOperationAsync(id)));
        Assert.Equal("succeeded", State(await _service.FinishedOperationAsync(first)));
        Assert.Equal(2, _project.Ups().Count);
        var runs = await Task.WhenAll(ids.Select(async id => (await _service.OperationAsync(id))["operation"]!["runId"]!.GetValue<string>()));
        Assert.Single(runs.Distinct());
        Assert.Equal(["a1", "a2", "a3", "a4", "a5"], _project.DeployedNodes("burst"));
        Assert.Contains("config set-all --stack prod --path --plaintext fleet:pools[1].nodes[3]=a4 --plaintext fleet:pools[1].nodes[4]=a5", _project.Calls().Select(c => c.Line));
    }

    [Fact]
    public async Task A_concurrent_update_is_retried_with_backoff()
    {
        _project.UpBehaves("conflict", "locked", "succeed");
        var op = await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 3));
        Assert.Equal("succeeded", State(op));
        Assert.Equal(3, _project.Ups().Count);
        var commands = op["run"]!["commands"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray();
        Assert.Equal(3, commands.Count(c => c.StartsWith("pulumi up ", StringComparison.Ordinal)));
        Assert.Contains("fleet_stacks_conflict_retries_total{stack=\"prod\"} 2", await _service.Client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Gives_up_after_the_retry_budget_and_says_why()
    {
        _project.UpBehaves("conflict");
        var op = await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 3));
        Assert.Equal("failed", State(op));
        Assert.Contains("[409] Conflict: Another update is currently in progress.", op["operation"]!["error"]!.GetValue<string>());
        Assert.Equal(1 + _service.Options.ConflictRetries, _project.Ups().Count);
    }

    [Theory]
    [InlineData("fail", "exited 255: error: update failed")]
    [InlineData("crash", "exited 2: panic: runtime error")]
    public async Task A_failed_up_fails_the_operation_with_the_reason(string behaviour, string reason)
    {
        _project.UpBehaves(behaviour, "succeed");
        var before = _project.StackFile();
        var op = await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 3));
        Assert.Equal("failed", State(op));
        Assert.Contains(reason, op["operation"]!["error"]!.GetValue<string>());
        Assert.Equal("failed", op["run"]!["state"]!.GetValue<string>());
        // The edit is undone, so the same target asked again plans the change again (instead of "nothing to change").
        Assert.Equal(before, _project.StackFile());

        // The same target asked again is planned and deployed again.
        var ups = _project.Ups().Count;
        Assert.Equal("succeeded", State(await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 3))));
        Assert.Equal(ups + 1, _project.Ups().Count);
    }

    [Fact]
    public async Task Nothing_to_change_runs_no_up()
    {
        var op = await _service.FinishedOperationAsync(await _service.AcceptedOperationAsync("burst", 2));
        Assert.Equal("succeeded", State(op));
        Assert.Empty(_project.Calls());
    }
}
