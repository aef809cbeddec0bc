using System.CommandLine;
using System.Text.Json.Nodes;
using Fleet.Infra.PulumiCli;

namespace Fleet.Infra.Cli;

/// <summary>
/// <c>fleet sync</c>: reads the deployed <c>pools</c> stack output and writes the node ids back into the local stack file,
/// so a preview after a webhook scale-up shows no worker changes (docs/architecture.md, "Configuration and who owns it").
/// </summary>
public static class SyncCommand
{
    public static Command Create()
    {
        var stack = new Option<string>("--stack") { Description = "Stack name, optionally org/stack", DefaultValueFactory = _ => "dev" };
        var dir = new Option<string?>("--project-dir") { Description = "Folder holding Pulumi.yaml (default: found upwards)" };
        var command = new Command("sync", "Write the deployed node ids back into Pulumi.<stack>.yaml") { stack, dir };
        command.SetAction((r, ct) => RunAsync(new LocalPulumiCommand(), r.GetValue(stack)!, r.GetValue(dir), Console.Out, Console.Error, ct));
        return command;
    }

    public static async Task<int> RunAsync(PulumiCommand pulumi, string stack, string? projectDir, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        var directory = ProjectLocator.FindDirectory(projectDir);
        string project;
        try { project = ProjectLocator.ProjectName(directory); }
        catch (Configuration.ConfigSourceException e)
        {
            stderr.WriteLine($"fleet sync: {e.Message}");
            return ExitCodes.ConfigUnreadable;
        }
        // `org/prod` names the stack in Pulumi Cloud; its config file is still Pulumi.prod.yaml.
        var path = Path.Combine(directory, $"Pulumi.{stack[(stack.LastIndexOf('/') + 1)..]}.yaml");
        if (!File.Exists(path))
        {
            stderr.WriteLine($"fleet sync: no stack file {path}");
            return ExitCodes.ConfigUnreadable;
        }
        CommandResult result;
        try { result = await pulumi.RunAsync(["stack", "output", "pools", "--json", "--stack", stack], directory, ct); }
        catch (System.ComponentModel.Win32Exception e)
        {
            stderr.WriteLine($"fleet sync: cannot run pulumi ({e.Message}); install the Pulumi CLI >= 3.154 or set PULUMI_BINARY");
            return ExitCodes.PulumiFailed;
        }
        if (result.ExitCode != 0)
        {
            stderr.WriteLine($"fleet sync: `pulumi stack output pools` failed (exit {result.ExitCode}): {result.StandardError.Trim()}");
            return ExitCodes.PulumiFailed;
        }
        JsonNode? output;
        try { output = JsonNode.Parse(result.StandardOutput); }
        catch (System.Text.Json.JsonException e)
        {
            stderr.WriteLine($"fleet sync: `pulumi stack output pools --json` printed something that is not JSON ({e.Message}); upgrade the Pulumi CLI to >= 3.154");
            return ExitCodes.PulumiFailed;
        }
        if (output is not JsonObject deployed)
        {
            stdout.WriteLine($"{stack}: nothing deployed yet; stack file unchanged");
            return ExitCodes.Ok;
        }
        string text;
        IReadOnlyList<string> changes;
        try { (text, changes) = StackFileNodeSync.Apply(await File.ReadAllTextAsync(path, ct), project, deployed, path); }
        catch (Configuration.ConfigSourceException e)
        {
            stderr.WriteLine($"fleet sync: {e.Message}");
            return ExitCodes.ConfigUnreadable;
        }
        if (changes.Count == 0)
        {
            stdout.WriteLine($"{stack}: node ids already match the deployed stack");
            return ExitCodes.Ok;
        }
        await File.WriteAllTextAsync(path, text, ct);
        foreach (var change in changes) stdout.WriteLine($"{stack}: {change}");
        return ExitCodes.Ok;
    }
}
