using Fleet.Infra.PulumiCli;

namespace Fleet.Stacks.Tests.Support;

/// <summary>A <see cref="PulumiCommand"/> that records argv, working directory and environment, and answers from a script.</summary>
public sealed class RecordingPulumiCommand(Func<IReadOnlyList<string>, CommandResult>? answer = null) : PulumiCommand
{
    public List<(IReadOnlyList<string> Args, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)> Calls { get; } = [];

    public override Task<CommandResult> RunAsync(IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        lock (Calls) Calls.Add((args.ToArray(), workingDirectory, new Dictionary<string, string>(environment)));
        return Task.FromResult(answer?.Invoke(args) ?? new CommandResult(0, "", ""));
    }
}
