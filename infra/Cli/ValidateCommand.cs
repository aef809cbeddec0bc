using System.CommandLine;
using Fleet.Infra.Configuration;
using Fleet.Infra.Synthesis;
using Fleet.Infra.Validation;

namespace Fleet.Infra.Cli;

/// <summary><c>fleet validate</c>: config, then the synthesized program against the provider schemas and its own references.</summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var stack = new Option<string?>("--stack") { Description = "Stack to validate (default: every Pulumi.<stack>.yaml in the project)" };
        var dir = new Option<string?>("--project-dir") { Description = "Folder holding Pulumi.yaml (default: found upwards)" };
        var command = new Command("validate", "Validate stack config and the emitted program (schemas, references)") { stack, dir };
        command.SetAction(r => Run(r.GetValue(stack), r.GetValue(dir), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string? stack, string? projectDir, TextWriter stdout, TextWriter stderr)
    {
        var directory = ProjectLocator.FindDirectory(projectDir);
        string project;
        try { project = ProjectLocator.ProjectName(directory); }
        catch (ConfigSourceException e)
        {
            stderr.WriteLine($"fleet validate: {e.Message}");
            return ExitCodes.ConfigUnreadable;
        }
        var stacks = stack is null ? StackFileConfigSource.ListStacks(directory) : [stack];
        if (stacks.Count == 0)
        {
            stderr.WriteLine($"fleet validate: no Pulumi.<stack>.yaml in {directory}");
            return ExitCodes.ConfigUnreadable;
        }
        // Every stack is validated and reported, whatever the others hold; the first failure decides the exit code.
        var exit = ExitCodes.Ok;
        foreach (var name in stacks)
        {
            var code = ValidateOne(directory, project, name, stdout);
            if (exit == ExitCodes.Ok) exit = code;
        }
        return exit;
    }

    private static int ValidateOne(string directory, string project, string stack, TextWriter stdout)
    {
        SynthesisResult result;
        try { result = SynthesisPipeline.Run(StackFileConfigSource.Load(directory, stack, project)); }
        catch (ConfigSourceException e)
        {
            stdout.WriteLine($"{stack}: unreadable: {e.Message}");
            return ExitCodes.ConfigUnreadable;
        }
        if (result.Program is null && result.Checked is not null)
        {
            PolicyPrinter.Text(stdout, result.Violations, $"{stack}: policy");
            return result.ExitCode;
        }
        if (result.Program is null)
        {
            DiagnosticPrinter.Print(stdout, result.Diagnostics, $"{stack}: config invalid");
            return result.ExitCode;
        }
        var problems = SchemaValidator.Validate(result.Program).Concat(ReferenceValidator.Validate(result.Program)).ToArray();
        if (problems.Length > 0)
        {
            DiagnosticPrinter.Print(stdout, problems, $"{stack}: program invalid");
            return ExitCodes.InvalidProgram;
        }
        stdout.WriteLine($"{stack}: ok ({result.Program.Resources.Count} resources valid against the provider schemas; {result.Diagnostics.Count} warning(s))");
        DiagnosticPrinter.Print(stdout, result.Diagnostics, $"{stack}");
        return result.ExitCode;
    }
}
