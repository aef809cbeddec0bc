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
        var format = new Option<string>("--format") { Description = "text or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var dir = new Option<string?>("--project-dir") { Description = "Folder holding Pulumi.yaml (default: found upwards)" };
        var command = new Command("policy", "Run the policy pack over a stack's program (exit 3 on a mandatory violation)") { stack, format, dir };
        command.SetAction(r => Run(r.GetValue(stack), r.GetValue(format)!, r.GetValue(dir), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string? stack, string format, string? projectDir, TextWriter stdout, TextWriter stderr)
    {
        var directory = ProjectLocator.FindDirectory(projectDir);
        var project = ProjectLocator.ProjectName(directory);
        var stacks = stack is null ? StackFileConfigSource.ListStacks(directory) : [stack];
        var exit = ExitCodes.Ok;
        foreach (var name in stacks)
        {
            SynthesisResult result;
            try { result = SynthesisPipeline.Run(StackFileConfigSource.Load(directory, name, project)); }
            catch (ConfigSourceException e)
            {
                stderr.WriteLine($"fleet policy: {e.Message}");
                exit = ExitCodes.ConfigUnreadable;
                continue;
            }
            if (result.Checked is null)
            {
                DiagnosticPrinter.Print(stderr, result.Diagnostics, $"{name}: config invalid, policy not run");
                if (exit == ExitCodes.Ok) exit = result.ExitCode;
                continue;
            }
            if (format == "json") PolicyPrinter.Json(stdout, name, result.Violations);
            else if (result.Violations.Count == 0) stdout.WriteLine($"{name}: no policy findings");
            else PolicyPrinter.Text(stdout, result.Violations, name);
            if (exit == ExitCodes.Ok && result.Violations.Any(v => v.Level == EnforcementLevel.Mandatory)) exit = ExitCodes.PolicyViolation;
        }
        return exit;
    }
}
