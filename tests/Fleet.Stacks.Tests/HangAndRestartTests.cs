using Fleet.Stacks.Persistence;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

public sealed class HangAndRestartTests : IDisposable
{
    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task A_hanging_up_is_stopped_at_the_timeout_and_fails_the_operation()
    {
        _project.UpBehaves("hang", "succeed");
        var options = TestService.DefaultOptions(_project) with { UpTimeout = TimeSpan.FromSeconds(3), ConflictRetries = 0 };
        await using var service = await TestService.StartAsync(options);
        var op = await service.FinishedOperationAsync(await service.AcceptedOperationAsync("burst", 3));
        Assert.Equal("failed", op["operation"]!["state"]!.GetValue<string>());
        Assert.Contains("did not finish within 3 s", op["operation"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Kill_and_restart_mid_operation_loses_no_accepted_request()
    {
        _project.UpBehaves("hang", "succeed");
        var options = TestService.DefaultOptions(_project);
        string running, queued;
        await using (var first = await TestService.StartAsync(options))
        {
            running = await first.AcceptedOperationAsync("burst", 3);
            await Eventually.TrueAsync(() => _project.UpRunning(), "the first up to hang");
            queued = await first.AcceptedOperationAsync("burst", 4);
        } // stopped mid-up: the hanging CLI is killed, nothing is marked done

        var store = new OperationStore(new StacksDatabase(options.DatabasePath), TimeProvider.System);
        Assert.Equal(OperationKinds.Applying, store.Get(running)!.State);
        Assert.Equal(OperationKinds.Accepted, store.Get(queued)!.State);
        Assert.True(_project.UpRunning()); // the killed update left its lock, as a real one would

        await using var second = await TestService.StartAsync(options);
        await Eventually.TrueAsync(() => _project.Ups().Count >= 2, "the resumed up to meet the stale lock");
        _project.ClearLock(); // `pulumi cancel`, or the lock expiring
        var resumed = await second.FinishedOperationAsync(running);
        var next = await second.FinishedOperationAsync(queued);
        Assert.Equal("succeeded", resumed["operation"]!["state"]!.GetValue<string>());
        Assert.Equal(1, resumed["operation"]!["resumes"]!.GetValue<int>());
        Assert.Equal("succeeded", next["operation"]!["state"]!.GetValue<string>());
        Assert.Equal(resumed["operation"]!["runId"]!.GetValue<string>(), next["operation"]!["runId"]!.GetValue<string>());
        Assert.Equal(["a1", "a2", "a3", "a4"], _project.DeployedNodes("burst"));
    }

    [Fact]
    public async Task Operations_of_a_stack_no_longer_served_fail_with_the_reason_at_restart()
    {
        _project.UpBehaves("hang");
        var options = TestService.DefaultOptions(_project);
        string id;
        await using (var first = await TestService.StartAsync(options))
        {
            id = await first.AcceptedOperationAsync("burst", 3);
            await Eventually.TrueAsync(() => _project.UpRunning(), "the up to hang");
        }
        File.Copy(Path.Combine(_project.Directory, "Pulumi.prod.yaml"), Path.Combine(_project.Directory, "Pulumi.dev.yaml"));
        await using var second = await TestService.StartAsync(options with { Stacks = ["dev"] });
        var store = new OperationStore(new StacksDatabase(options.DatabasePath), TimeProvider.System);
        await Eventually.TrueAsync(() => store.Get(id)!.State == OperationKinds.Failed, "the orphaned operation to fail");
        Assert.Contains("no longer serves stack prod", store.Get(id)!.Error);
    }
}
