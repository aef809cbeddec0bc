using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>
/// Issue 11, "never lose an accepted change": the real service process is killed together with its running
/// <c>pulumi</c> (SIGKILL to the whole tree, what a container or host loss does) at every step of an operation, then
/// restarted. Afterwards the servers that exist equal the stack file and the desired size, and every accepted operation
/// ended <c>succeeded</c> exactly once — none lost, none applied twice, no lock raced.
/// </summary>
public sealed class CrashAtEveryStepTests : IDisposable
{
    private readonly TestProject _project = new();

    public void Dispose()
    {
        // An orphaned `up` a failing test left behind (the service's tree is killed by ServiceProcess itself).
        var lockFile = Path.Combine(_project.Control, "running.prod");
        if (File.Exists(lockFile) && int.TryParse(File.ReadAllText(lockFile), out var pid))
            try { using var orphan = System.Diagnostics.Process.GetProcessById(pid); orphan.Kill(); }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
        _project.Dispose();
    }

    [Theory]
    [InlineData("config:before", false)] // before the stack file is edited
    [InlineData("config:after", false)]  // edited, no up yet
    [InlineData("up:during", false)]     // up running, one of two servers created, the stack locked
    [InlineData("up:after", false)]      // up finished and released the lock, its process not yet reaped
    [InlineData("output:before", false)] // up done, the service about to record it
    [InlineData("config:after", true)]   // ... with a second request accepted meanwhile
    [InlineData("up:during", true)]
    public async Task Killed_with_its_pulumi_at_a_step_the_restarted_service_applies_every_accepted_operation_once(string step, bool another)
    {
        var port = ServiceProcess.FreePort();
        string first;
        string? second = null;
        using (var service = ServiceProcess.Start(_project, port))
        {
            await service.WaitHealthyAsync();
            if (step == "output:before") // the pause is for the read after the up, not the start-up reconciliation's
            {
                await Eventually.TrueAsync(() => _project.AllCalls().Any(c => c.Line.StartsWith("stack output pools")), "the start-up reconciliation");
                await Task.Delay(300);
            }
            if (step == "up:during") _project.UpBehaves("hang", "succeed");
            else _project.PauseAt(step);

            first = await service.ScaleAsync(4);
            if (step == "up:during") await Eventually.TrueAsync(() => _project.UpRunning() && _project.Servers("burst").Count == 3, "the up to create one server and hang");
            else await Eventually.TrueAsync(() => _project.Paused()?.StartsWith(step) == true, $"the fake to stop at {step}");
            if (another) second = await service.ScaleAsync(5); // accepted while the first is stuck
            await service.KillWithChildrenAsync();
        }
        Assert.Equal("applying", Db().Get(first)!.State);
        if (second is not null) Assert.Equal("accepted", Db().Get(second)!.State);
        string[] ops = second is null ? [first] : [first, second];
        File.Delete(Path.Combine(_project.Control, "pause"));

        using (var restarted = ServiceProcess.Start(_project, port))
        {
            await restarted.WaitHealthyAsync();
            await Eventually.TrueAsync(() => ops.All(id => restarted.Operation(id)["state"]!.GetValue<string>() is "succeeded" or "failed"), "the operations to end", 90);
            foreach (var id in ops) Assert.Equal("succeeded", restarted.Operation(id)["state"]!.GetValue<string>());
            Assert.Equal(1, restarted.Operation(first)["resumes"]!.GetValue<int>());
            var metrics = await restarted.Client.GetStringAsync("/metrics");
            Assert.Matches(new Regex($$"""fleet_stacks_operations_total\{stack="prod",kind="scale",result="succeeded"\} {{ops.Length}}\n"""), metrics);
            Assert.DoesNotContain("result=\"failed\"", metrics);
            var stack = (await restarted.Client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/stacks/prod"))!;
            Assert.Null(stack["upOwed"]); // the debt written before the edit was paid by an up
        }
        string[] desired = another ? ["a1", "a2", "a3", "a4", "a5"] : ["a1", "a2", "a3", "a4"];
        Assert.Equal(desired, _project.ConfiguredNodes("burst"));
        Assert.Equal(desired, _project.Servers("burst"));       // what exists in the (fake) cloud
        Assert.Equal(desired, _project.DeployedNodes("burst")); // the pools output
        Assert.Null(_project.Raced());
        Assert.False(_project.UpRunning());
        if (step == "up:during") Assert.Contains(_project.AllCalls(), c => c.Argv[0] == "cancel"); // the dead up's lock, through the CLI
        else Assert.DoesNotContain(_project.AllCalls(), c => c.Argv[0] == "cancel");
    }

    [Fact]
    public async Task A_live_orphaned_up_is_waited_for_never_raced()
    {
        _project.UpBehaves("gate", "succeed");
        var port = ServiceProcess.FreePort();
        string first, second;
        using (var service = ServiceProcess.Start(_project, port))
        {
            await service.WaitHealthyAsync();
            first = await service.ScaleAsync(3);
            await Eventually.TrueAsync(() => _project.UpRunning(), "the first up to start");
            second = await service.ScaleAsync(4);
            service.Process.Kill(); // the service only: its `up` lives on, holding the lock
            await service.Process.WaitForExitAsync();
        }
        Assert.True(_project.UpRunning());
        var before = _project.AllCalls().Count;

        using var restarted = ServiceProcess.Start(_project, port);
        await restarted.WaitHealthyAsync();
        await Task.Delay(2000);
        Assert.Empty(_project.AllCalls().Skip(before)); // nothing started beside the live orphan: no cancel, no edit, no up
        _project.Release(); // the orphan finishes on its own
        await Eventually.TrueAsync(() => restarted.Operation(first)["state"]!.GetValue<string>() == "succeeded"
            && restarted.Operation(second)["state"]!.GetValue<string>() == "succeeded", "both operations", 90);
        Assert.Equal(["a1", "a2", "a3", "a4"], _project.Servers("burst"));
        Assert.Equal(["a1", "a2", "a3", "a4"], _project.DeployedNodes("burst"));
        Assert.Null(_project.Raced());
    }

    [Fact]
    public async Task At_start_a_stack_file_ahead_of_the_deployed_pools_is_deployed()
    {
        // What a crash after the edit of an earlier version left: the file lists a3, the cloud does not have it.
        File.WriteAllText(Path.Combine(_project.Directory, "Pulumi.prod.yaml"), TestProject.ProdYaml.Replace("""nodes: ["a1", "a2"]""", """nodes: ["a1", "a2", "a3"]"""));
        using var service = ServiceProcess.Start(_project, ServiceProcess.FreePort());
        await service.WaitHealthyAsync();
        await Eventually.TrueAsync(() => _project.DeployedNodes("burst").Count == 3, "the owed up", 60);
        Assert.Equal(["a1", "a2", "a3"], _project.Servers("burst"));
        Assert.Single(_project.Ups());
    }

    private Fleet.Stacks.Persistence.OperationStore Db() =>
        new(new Fleet.Stacks.Persistence.StacksDatabase(_project.Database), TimeProvider.System);
}
