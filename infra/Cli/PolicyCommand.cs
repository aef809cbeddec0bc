using System.CommandLine;
using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Policy.Model;

namespace Fleet.Infra.Cli;

/// <summary><c>fleet policy</c>: the policy pack over a stack's program, offline — the same rules <c>fleet synth</c> enforces.</summary>
public static class PolicyCommand
{
    public static Command Create()
    {
        var stack = new Option<string?>("--stack") { Description = "Stack to check (default: every Pulumi.<stack>.yaml)" };
        var format = new Option<string>("--format") { Description = "text or json (one document for every stack)", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var dir = new Option<string?>("--project-dir") { Description = "Folder holding Pulumi.yaml (default: found upwards)" };
        var command = new Command("policy", "Run the policy pack over a stack's program (exit 3 on a mandatory violation)") { stack, format, dir };
        command.SetAction(r => Run(r.GetValue(stack), r.GetValue(format)!, r.GetValue(dir), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string? stack, string format, string? projectDir, TextWriter stdout, TextWriter stderr)
    {
        var directory = ProjectLocator.FindDirectory(projectDir);
        string project;
        try { project = ProjectLocator.ProjectName(directory); }
        catch (ConfigSourceException e)
        {
            stderr.WriteLine($"fleet policy: {e.Message}");
            return ExitCodes.ConfigUnreadable;
        }
        var stacks = stack is null ? StackFileConfigSource.ListStacks(directory) : [stack];
        var results = stacks.Select(name => Check(directory, project, name, stderr)).ToArray();
        if (format == "json") PolicyPrinter.Json(stdout, results);
        else
        {
            foreach (var r in results.Where(r => r.Status == "checked"))
            {
                if (r.Violations.Count == 0) stdout.WriteLine($"{r.Stack}: no policy findings");
                else PolicyPrinter.Text(stdout, r.Violations, r.Stack);
            }
        }
        return ExitCode(results);
    }

    private static PolicyStackResult Check(string directory, string project, string name, TextWriter stderr)
    {
        SynthesisResult result;
        try { result = SynthesisPipeline.Run(StackFileConfigSource.Load(directory, name, project)); }
        catch (ConfigSourceException e)
        {
            stderr.WriteLine($"fleet policy: {e.Message}");
            return new PolicyStackResult(name, "unreadable", [], [], e.Message);
        }
        if (result.Checked is not null) return new PolicyStackResult(name, "checked", result.Violations, result.Diagnostics);
        DiagnosticPrinter.Print(stderr, result.Diagnostics, $"{name}: config invalid, policy not run");
        return new PolicyStackResult(name, "config-invalid", [], result.Diagnostics) { ExitCode = result.ExitCode };
    }

    /// <summary>An unreadable stack file decides (6); otherwise the first failing stack: invalid config (1) or a mandatory violation (3).</summary>
    private static int ExitCode(IReadOnlyList<PolicyStackResult> results)
    {
        if (results.Any(r => r.Status == "unreadable")) return ExitCodes.ConfigUnreadable;
        foreach (var r in results)
        {
            switch (r.Status)
            {
                case "config-invalid": return r.ExitCode;
                case "checked" when r.Violations.Any(v => v.Level == EnforcementLevel.Mandatory): return ExitCodes.PolicyViolation;
            }
        }
        return ExitCodes.Ok;
    }
}
