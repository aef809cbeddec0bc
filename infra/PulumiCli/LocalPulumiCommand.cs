using CliWrap;
using CliWrap.Buffered;

namespace Fleet.Infra.PulumiCli;

/// <summary>Runs the real <c>pulumi</c> binary from PATH (or <c>PULUMI_BINARY</c>) through CliWrap.</summary>
public sealed class LocalPulumiCommand : PulumiCommand
{
    public override async Task<CommandResult> RunAsync(IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var binary = Environment.GetEnvironmentVariable("PULUMI_BINARY") is { Length: > 0 } b ? b : "pulumi";
        var result = await CliWrap.Cli.Wrap(binary)
            .WithArguments(["--non-interactive", .. args])
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        return new CommandResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
