using CliWrap;
using CliWrap.Buffered;

namespace Fleet.Infra.PulumiCli;

/// <summary>
/// Runs the real <c>pulumi</c> binary from PATH (or <c>PULUMI_BINARY</c>) through CliWrap. Cancellation is graceful, as
/// the Automation API's: SIGINT first (Pulumi then finishes the step in flight and releases the stack lock), and a kill
/// only if it has not exited <see cref="KillAfter"/> later.
/// </summary>
/// <param name="binary">The CLI to run; default <c>PULUMI_BINARY</c>, else <c>pulumi</c> from PATH.</param>
public sealed class LocalPulumiCommand(string? binary = null) : PulumiCommand
{
    public static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(10);

    public override async Task<CommandResult> RunAsync(IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var file = binary ?? (Environment.GetEnvironmentVariable("PULUMI_BINARY") is { Length: > 0 } b ? b : "pulumi");
        using var forceful = new CancellationTokenSource();
        await using var escalate = cancellationToken.Register(() => forceful.CancelAfter(KillAfter));
        var result = await CliWrap.Cli.Wrap(file)
            .WithArguments(["--non-interactive", .. args])
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(System.Text.Encoding.UTF8, System.Text.Encoding.UTF8, forceful.Token, cancellationToken);
        return new CommandResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
