using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

public sealed class ReadBackTests
{
    [Fact]
    public async Task Nothing_is_deployed_when_the_stack_file_did_not_change_as_planned()
    {
        // A CLI that answers 0 but edits nothing (the real one ignores an out-of-range `config rm --path` index).
        using var project = new TestProject();
        var cli = new RecordingPulumiCommand();
        await using var service = await TestService.StartAsync(TestService.DefaultOptions(project), cli);
        var op = await service.FinishedOperationAsync(await service.AcceptedOperationAsync("burst", 3));

        Assert.Equal("failed", op["operation"]!["state"]!.GetValue<string>());
        Assert.Equal("after `pulumi config` pool burst lists [a1, a2], expected [a1, a2, a3]; nothing was deployed (was Pulumi.prod.yaml edited meanwhile?)",
            op["operation"]!["error"]!.GetValue<string>());
        var calls = cli.Calls.Where(c => c.Args[0] != "stack").ToArray(); // less the start-up read of the pools output
        Assert.Equal([["config", "set-all", "--stack", "prod", "--path", "--plaintext", "fleet:pools[1].nodes[2]=a3"]], calls.Select(c => c.Args.ToArray()));
        Assert.Equal(project.Directory, calls.Single().WorkingDirectory);
    }
}
