using CliWrap;
using CliWrap.Buffered;
using Fleet.Infra.PulumiCli;
using CommandResult = Fleet.Infra.PulumiCli.CommandResult;

namespace Fleet.Stacks.Pulumi;

/// <summary>
/// Runs the real <c>pulumi</c> (<c>PULUMI_BINARY</c>, else from PATH) like infra's <c>LocalPulumiCommand</c>
/// (<c>--non-interactive</c>, SIGINT on cancellation and a kill 10 s later), with two differences the control service
/// needs: the child gets only the <see cref="ChildEnvironment"/> allow-list, and every child is reported to a
/// <see cref="IChildTracker"/> so that a restarted service knows which <c>pulumi</c> its previous process left running.
/// </summary>
public sealed class ChildPulumiCommand(ChildEnvironment environment, IChildTracker? tracker = null, string? binary = null) : PulumiCommand
{
    public static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(10);

    public IChildTracker? Tracker { get; set; } = tracker;

    public override async Task<CommandResult> RunAsync(IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string> env, CancellationToken cancellationToken)
    {
        var file = binary ?? (System.Environment.GetEnvironmentVariable("PULUMI_BINARY") is { Length: > 0 } b ? b : "pulumi");
        using var forceful = new CancellationTokenSource();
        await using var escalate = cancellationToken.Register(() => forceful.CancelAfter(KillAfter));
        var task = Cli.Wrap(file)
            .WithArguments(["--non-interactive", .. args])
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment.For(env))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(System.Text.Encoding.UTF8, System.Text.Encoding.UTF8, forceful.Token, cancellationToken);
        var child = Tracker?.Started(task.ProcessId, args);
        var result = await task.ConfigureAwait(false);
        // A child that ran to its end is forgotten; one stopped by cancellation stays recorded: it may have left the stack locked.
        if (child is not null && !cancellationToken.IsCancellationRequested) Tracker?.Exited(child.Value);
        return new CommandResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}

/// <summary>Where <see cref="ChildPulumiCommand"/> records the <c>pulumi</c> processes it starts (the database, in the service).</summary>
public interface IChildTracker
{
    /// <summary>Records a started child; returns a handle for <see cref="Exited"/>.</summary>
    long Started(int processId, IReadOnlyList<string> args);

    void Exited(long child);
}
