using System.CommandLine;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;

namespace Fleet.Infra.Cli;

/// <summary>
/// <c>fleet synth</c>: the Pulumi YAML compiler. Stdout carries only the program; everything for humans goes to stderr.
/// Config comes from <c>PULUMI_CONFIG</c> when the engine runs it; without it (package discovery) the discovery program
/// is printed; <c>--stack</c> reads a stack file instead, for debugging.
/// </summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var stack = new Option<string?>("--stack") { Description = "Synthesize from Pulumi.<stack>.yaml instead of PULUMI_CONFIG" };
        var dir = new Option<string?>("--project-dir") { Description = "Folder holding Pulumi.yaml (default: found upwards)" };
        var command = new Command("synth", "Print the Pulumi YAML program (the compiler Pulumi.yaml runs)") { stack, dir };
        command.SetAction(r => Run(r.GetValue(stack), r.GetValue(dir), Environment.GetEnvironmentVariable, Console.Out, Console.Error));
        return command;
    }

    /// <param name="environment">Reads <c>PULUMI_CONFIG</c>, <c>PULUMI_STACK</c> and <c>PULUMI_PROJECT</c> (the YAML host sets them).</param>
    public static int Run(string? stack, string? projectDir, Func<string, string?> environment, TextWriter stdout, TextWriter stderr)
    {
        var directory = ProjectLocator.FindDirectory(projectDir);
        var json = environment("PULUMI_CONFIG");
        StackConfig raw;
        string project;
        try
        {
            project = environment("PULUMI_PROJECT") is { Length: > 0 } p ? p : ProjectLocator.ProjectName(directory);
            if (stack is not null) raw = StackFileConfigSource.Load(directory, stack, project);
            else if (!string.IsNullOrEmpty(json)) raw = EngineConfigSource.Parse(json, environment("PULUMI_STACK") ?? "unknown", project);
            else
            {
                stdout.Write(PulumiYamlWriter.Write(DiscoveryProgram.Build(project)));
                return ExitCodes.Ok;
            }
        }
        catch (ConfigSourceException e)
        {
            stderr.WriteLine($"fleet synth: {e.Message}");
            return ExitCodes.ConfigUnreadable;
        }

        var result = SynthesisPipeline.Run(raw);
        DiagnosticPrinter.Print(stderr, result.Diagnostics, $"stack '{raw.Stack}'");
        PolicyPrinter.Text(stderr, result.Violations, $"stack '{raw.Stack}' policy");
        if (result.Program is null) return result.ExitCode;
        stdout.Write(PulumiYamlWriter.Write(result.Program));
        return result.ExitCode;
    }
}
