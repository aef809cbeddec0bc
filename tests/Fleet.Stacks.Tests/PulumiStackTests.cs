using Fleet.Infra.PulumiCli;
using Fleet.Stacks.Pulumi;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

public sealed class PulumiStackTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("stacks-test-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static PulumiStack Stack(RecordingPulumiCommand cli) => new(cli, "/work/project", "fleet", TimeProvider.System);

    [Fact]
    public async Task Removes_one_list_element_by_path()
    {
        var cli = new RecordingPulumiCommand();
        await Stack(cli).RemoveNodeAsync("prod", 1, 3, default);
        Assert.Equal(["config", "rm", "--stack", "prod", "--path", "fleet:pools[1].nodes[3]"], cli.Calls.Single().Args);
        Assert.Equal("/work/project", cli.Calls.Single().WorkingDirectory);
    }

    [Fact]
    public async Task Appends_ids_with_one_set_all()
    {
        var cli = new RecordingPulumiCommand();
        await Stack(cli).AppendNodesAsync("prod", 1, 2, ["a3", "a4"], default);
        Assert.Equal(["config", "set-all", "--stack", "prod", "--path", "--plaintext", "fleet:pools[1].nodes[2]=a3", "--plaintext", "fleet:pools[1].nodes[3]=a4"],
            cli.Calls.Single().Args);
    }

    [Fact]
    public async Task Appending_nothing_runs_nothing()
    {
        var cli = new RecordingPulumiCommand();
        await Stack(cli).AppendNodesAsync("prod", 1, 2, [], default);
        Assert.Empty(cli.Calls);
    }

    [Fact]
    public async Task Up_passes_the_event_log_with_PULUMI_DEBUG_COMMANDS()
    {
        var log = Path.Combine(_temp, "eventlog.txt");
        var cli = new RecordingPulumiCommand(args =>
        {
            File.WriteAllText(log, """
                {"sequence":0,"timestamp":1,"preludeEvent":{"config":{}}}
                {"sequence":1,"timestamp":1,"summaryEvent":{"maybeCorrupt":false,"durationSeconds":7,"resourceChanges":{"create":1,"same":12},"result":"succeeded"}}
                {"sequence":2,"timestamp":1,"cancelEvent":{}}

                """);
            return new CommandResult(0, "", "");
        });
        var summary = await Stack(cli).UpAsync("prod", log, TimeSpan.FromMinutes(1), _ => { }, default);
        var call = cli.Calls.Single();
        Assert.Equal(["up", "--yes", "--skip-preview", "--stack", "prod", "--event-log", log], call.Args);
        Assert.Equal("true", call.Environment["PULUMI_DEBUG_COMMANDS"]);
        Assert.Equal("succeeded", summary.Result);
        Assert.Equal(7, summary.DurationSeconds);
        Assert.Equal(new Dictionary<string, int> { ["create"] = 1, ["same"] = 12 }, summary.ResourceChanges);
    }

    [Fact]
    public async Task Preview_asks_for_the_digest_not_the_event_stream()
    {
        var cli = new RecordingPulumiCommand(_ => new CommandResult(0, """
            {
                "steps": [
                    {
                        "op": "create",
                        "urn": "urn:pulumi:prod::fleet::digitalocean:index/droplet:Droplet::worker-burst-a3",
                        "newState": {"urn": "urn:pulumi:prod::fleet::digitalocean:index/droplet:Droplet::worker-burst-a3", "custom": true, "type": "digitalocean:index/droplet:Droplet"},
                        "detailedDiff": null
                    }
                ],
                "duration": 1000000000,
                "changeSummary": {"create": 1, "same": 12}
            }
            """, ""));
        var digest = await Stack(cli).PreviewAsync("prod", TimeSpan.FromMinutes(1), default);
        var call = cli.Calls.Single();
        Assert.Equal(["preview", "--json", "--stack", "prod"], call.Args);
        Assert.Equal("false", call.Environment["PULUMI_ENABLE_STREAMING_JSON_PREVIEW"]);
        Assert.False(call.Environment.ContainsKey("PULUMI_DEBUG_COMMANDS"));
        Assert.Equal("worker-burst-a3", digest.Steps!.Single().Name);
        Assert.Equal(1, digest.ChangeSummary!["create"]);
    }

    [Fact]
    public async Task A_preview_that_prints_no_digest_fails_with_what_it_printed()
    {
        var cli = new RecordingPulumiCommand(_ => new CommandResult(0, "Previewing update (prod)\n", ""));
        var e = await Assert.ThrowsAsync<PulumiCommandException>(() => Stack(cli).PreviewAsync("prod", TimeSpan.FromMinutes(1), default));
        Assert.Contains("printed no preview digest", e.Message);
        Assert.Contains("Previewing update (prod)", e.Message);
    }

    [Fact]
    public async Task A_preview_meeting_a_running_update_is_a_concurrent_update()
    {
        var cli = new RecordingPulumiCommand(_ => new CommandResult(255, "", "error: [409] Conflict: Another update is currently in progress."));
        await Assert.ThrowsAsync<ConcurrentUpdateException>(() => Stack(cli).PreviewAsync("prod", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task Reads_the_pools_output()
    {
        var cli = new RecordingPulumiCommand(_ => new CommandResult(0, """{"burst":{"size":"c-4","gpu":false,"nodes":["a1","a3"]}}""", ""));
        var pools = await Stack(cli).PoolsOutputAsync("prod", default);
        Assert.Equal(["stack", "output", "pools", "--json", "--stack", "prod"], cli.Calls.Single().Args);
        Assert.Equal("a3", pools!["burst"]!["nodes"]![1]!.GetValue<string>());
    }

    [Theory]
    [InlineData(255, "error: [409] Conflict: Another update is currently in progress.", typeof(ConcurrentUpdateException))]
    [InlineData(1, "error: [409] Conflict: Another update is currently in progress.\n", typeof(ConcurrentUpdateException))]
    [InlineData(255, "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file", typeof(ConcurrentUpdateException))]
    [InlineData(255, "error: no stack named 'prod' found", typeof(StackNotFoundException))]
    [InlineData(255, "error: update failed", typeof(PulumiCommandException))]
    [InlineData(2, "error: unknown flag: --event-log", typeof(PulumiCommandException))]
    public void Classifies_stderr_in_one_place(int exitCode, string stderr, Type expected)
    {
        var e = PulumiCommandException.FromResult(["up", "--yes"], new CommandResult(exitCode, "", stderr));
        Assert.Equal(expected, e.GetType());
        Assert.StartsWith($"`pulumi up --yes` exited {exitCode}: ", e.Message);
    }

    [Fact]
    public async Task A_non_zero_exit_throws_the_classified_exception()
    {
        var cli = new RecordingPulumiCommand(_ => new CommandResult(255, "", "error: [409] Conflict: Another update is currently in progress."));
        var log = Path.Combine(_temp, "eventlog.txt");
        await Assert.ThrowsAsync<ConcurrentUpdateException>(() => Stack(cli).UpAsync("prod", log, TimeSpan.FromMinutes(1), _ => { }, default));
    }
}
