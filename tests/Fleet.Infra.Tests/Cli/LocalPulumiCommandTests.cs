using Fleet.Infra.PulumiCli;

namespace Fleet.Infra.Tests.Cli;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class LocalPulumiCommandTests
{
    [Fact]
    public async Task Passes_non_interactive_and_the_environment_and_returns_the_result()
    {
        var dir = Directory.CreateTempSubdirectory("fleet-pulumi").FullName;
        var script = Write(dir, "#!/bin/sh\necho \"args:$*\"\necho \"env:$FLEET_TEST_VALUE\" >&2\nexit 3\n");

        var result = await new LocalPulumiCommand(script).RunAsync(["stack", "output", "--json"], dir, new Dictionary<string, string> { ["FLEET_TEST_VALUE"] = "42" }, CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("args:--non-interactive stack output --json\n", result.StandardOutput);
        Assert.Equal("env:42\n", result.StandardError);
    }

    [Fact]
    public async Task Cancellation_interrupts_pulumi_so_it_can_release_the_stack_lock()
    {
        var dir = Directory.CreateTempSubdirectory("fleet-pulumi").FullName;
        var marker = Path.Combine(dir, "interrupted");
        var ready = Path.Combine(dir, "ready");
        var script = Write(dir, $"#!/bin/sh\ntrap 'echo SIGINT > {marker}; exit 130' INT\ntouch {ready}\nwhile true; do sleep 0.05; done\n");
        using var cts = new CancellationTokenSource();

        var run = new LocalPulumiCommand(script).RunAsync(["up"], dir, new Dictionary<string, string>(), cts.Token);
        while (!File.Exists(ready)) await Task.Delay(20); // the process is up and has its trap set
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("SIGINT\n", await File.ReadAllTextAsync(marker));
    }

    private static string Write(string dir, string text)
    {
        var path = Path.Combine(dir, "pulumi");
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
