using Fleet.Infra.Diagnostics;
using Fleet.Policy.Model;

namespace Fleet.Infra.Cli;

/// <summary>What <c>fleet policy</c> found for one stack: its findings, or why the pack could not run.</summary>
/// <param name="Status"><c>checked</c>, <c>config-invalid</c> (see <paramref name="Problems"/>) or <c>unreadable</c> (see <paramref name="Error"/>).</param>
public sealed record PolicyStackResult(string Stack, string Status, IReadOnlyList<PolicyViolation> Violations, IReadOnlyList<Diagnostic> Problems, string? Error = null)
{
    /// <summary>The pipeline's exit code for a stack whose config is invalid.</summary>
    public int ExitCode { get; init; }
}
