namespace Fleet.Infra.PulumiCli;

/// <summary>
/// The seam in front of the <c>pulumi</c> CLI (the shape of pulumi-dotnet's Automation <c>PulumiCommand</c>).
/// Tests substitute a recording fake; production uses <see cref="LocalPulumiCommand"/>.
/// </summary>
public abstract class PulumiCommand
{
    /// <summary>Runs <c>pulumi --non-interactive ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public Task<CommandResult> RunAsync(IReadOnlyList<string> args, string workingDirectory, CancellationToken cancellationToken) =>
        RunAsync(args, workingDirectory, new Dictionary<string, string>(), cancellationToken);

    /// <summary>Runs <c>pulumi --non-interactive ARGS</c> with extra environment variables (e.g. <c>PULUMI_DEBUG_COMMANDS</c>).</summary>
    public abstract Task<CommandResult> RunAsync(IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken);
}
