using Fleet.Infra.Diagnostics;

namespace Fleet.Infra.Cli;

/// <summary>Prints diagnostics for humans: errors first, then warnings, each with its fix.</summary>
public static class DiagnosticPrinter
{
    public static void Print(TextWriter writer, IReadOnlyList<Diagnostic> diagnostics, string subject)
    {
        if (diagnostics.Count == 0) return;
        var errors = diagnostics.Count(d => d.Severity == Severity.Error);
        writer.WriteLine($"{subject}: {errors} error(s), {diagnostics.Count - errors} warning(s)");
        foreach (var d in diagnostics.OrderByDescending(d => d.Severity))
            writer.WriteLine("  " + (d with { Path = TerminalText.Safe(d.Path), Message = TerminalText.Safe(d.Message), Fix = TerminalText.Safe(d.Fix) }).ToString().Replace("\n", "\n  ", StringComparison.Ordinal));
    }
}
