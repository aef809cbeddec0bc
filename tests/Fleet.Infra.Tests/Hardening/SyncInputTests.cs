using Fleet.Infra.Cli;
using Fleet.Infra.PulumiCli;

namespace Fleet.Infra.Tests.Hardening;

/// <summary><c>fleet sync</c> given a broken stack file or output it cannot parse: a clear message and exit code, no stack trace.</summary>
public sealed class SyncInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-sync-bad").FullName;

    private sealed class CannedPulumi(string stdout) : PulumiCommand
    {
        public override Task<CommandResult> RunAsync(IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken) =>
            Task.FromResult(new CommandResult(0, stdout, ""));
    }

    public SyncInputTests() => File.WriteAllText(Path.Combine(_dir, "Pulumi.yaml"), "name: fleet\nruntime: yaml\n");

    [Fact]
    public async Task Output_that_is_not_json_is_a_pulumi_failure_saying_so()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.dev.yaml"), "config:\n  fleet:cloud: digitalocean\n");
        var stderr = new StringWriter();

        var code = await SyncCommand.RunAsync(new CannedPulumi("warning: something\n{"), "dev", _dir, new StringWriter(), stderr, CancellationToken.None);

        Assert.Equal(ExitCodes.PulumiFailed, code);
        Assert.Contains("not JSON", stderr.ToString());
    }

    [Fact]
    public async Task A_broken_stack_file_is_unreadable_config_naming_the_line()
    {
        File.WriteAllText(Path.Combine(_dir, "Pulumi.dev.yaml"), "config:\n  fleet:pools: [{name: a, nodes: [1]\n");
        var stderr = new StringWriter();

        var code = await SyncCommand.RunAsync(new CannedPulumi("{\"a\":{\"nodes\":[\"1\",\"2\"]}}"), "dev", _dir, new StringWriter(), stderr, CancellationToken.None);

        Assert.Equal(ExitCodes.ConfigUnreadable, code);
        Assert.Contains("Pulumi.dev.yaml:2:17: the { opened here is never closed", stderr.ToString());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
