namespace Fleet.Infra.Diagnostics;

/// <summary>One problem found in config, the program or policy.</summary>
/// <param name="Code">Stable id, e.g. <c>FLEET012</c>.</param>
/// <param name="Path">The config key (<c>fleet:pools[0].size</c>) or resource the problem is about.</param>
/// <param name="Message">What is wrong, naming the value and the rule.</param>
/// <param name="Fix">The command or edit that mends it.</param>
public sealed record Diagnostic(string Code, Severity Severity, string Path, string Message, string Fix)
{
    public override string ToString() =>
        $"{(Severity == Severity.Error ? "error" : "warning")} {Code} {Path}: {Message}" + (Fix.Length > 0 ? $"\n    fix: {Fix}" : "");
}
