using System.CommandLine;
using System.Globalization;
using Fleet.Infra.Catalog;
using Fleet.Infra.Configuration;
using Fleet.Infra.Model;
using Fleet.Infra.Synthesis;

namespace Fleet.Infra.Cli;

/// <summary>
/// <c>fleet plan</c>: what a stack would create, per server, with an estimated monthly cost and every problem found —
/// offline, from <c>Pulumi.&lt;stack&gt;.yaml</c>, with no credentials and no Pulumi CLI.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var stack = new Option<string>("--stack") { Description = "Stack name (reads Pulumi.<stack>.yaml)", DefaultValueFactory = _ => "dev" };
        var dir = new Option<string?>("--project-dir") { Description = "Folder holding Pulumi.yaml (default: found upwards)" };
        var command = new Command("plan", "Show what a stack would create and what it would cost") { stack, dir };
        command.SetAction(r => Run(r.GetValue(stack)!, r.GetValue(dir), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string stack, string? projectDir, TextWriter stdout, TextWriter stderr)
    {
        var directory = ProjectLocator.FindDirectory(projectDir);
        StackConfig raw;
        try { raw = StackFileConfigSource.Load(directory, stack, ProjectLocator.ProjectName(directory)); }
        catch (ConfigSourceException e)
        {
            stderr.WriteLine($"fleet plan: {e.Message}");
            return ExitCodes.ConfigUnreadable;
        }

        var result = SynthesisPipeline.Run(raw);
        if (result.Config is { } config && (result.Program ?? result.Checked) is { } program)
        {
            var names = new FleetNames(config);
            var cost = CostEstimate.For(config, new FleetNamesView(names.ManagerHost, names.WorkerHost));
            stdout.WriteLine($"Fleet plan for stack '{stack}': {config.Cloud.ToString().ToLowerInvariant()} {config.Region}, {config.Orchestrator.ToString().ToLowerInvariant()}, network {config.NetworkCidr}");
            stdout.WriteLine($"API: {(config.Domain is null ? "http://<manager address>/v1 (no domain: plain HTTP)" : $"https://api.{config.Domain}/v1")}");
            stdout.WriteLine();
            WriteTable(stdout, cost);
            stdout.WriteLine();
            stdout.WriteLine($"Estimated monthly cost: {Money(cost.Total)} {cost.Currency} (list prices as of {cost.AsOf}; servers only, excluding bandwidth overage and taxes)");
            if (cost.Unpriced.Count > 0) stdout.WriteLine($"Not priced (not in the {cost.AsOf} table): {string.Join(", ", cost.Unpriced)}");
            foreach (var model in config.Models.Values.DefaultIfEmpty(config.Model))
            {
                var pools = config.Pools.Where(p => config.ModelOf(p) == model).ToArray();
                var nodes = pools.Sum(p => p.NodeIds.Count);
                var monthly = cost.Lines.Where(l => pools.Any(p => p.Name == l.Pool)).Sum(l => l.MonthlyPrice ?? 0);
                stdout.WriteLine($"Model: {model.Id} ({model.Url}), context {model.ContextSize}, {model.Parallel} parallel slots per node; " +
                    $"pools {string.Join(", ", pools.Select(p => p.Name))}: {nodes} node(s), {nodes * model.Parallel} slots, {Money(monthly)} {cost.Currency}/month");
            }
            stdout.WriteLine($"Program: {program.Resources.Count} resources ({string.Join(", ", program.Resources.GroupBy(r => r.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {ShortType(g.Key)}"))})");
            if (!config.ApiKeys.Set) stdout.WriteLine("API keys: none set (the gateway refuses every client until fleet:apiKeys is set)");
            else if (!config.ApiKeys.Available) stdout.WriteLine("API keys: set (encrypted; hashed by the Pulumi run)");
        }
        stdout.WriteLine();
        if (result.Diagnostics.Count == 0) stdout.WriteLine("Problems: none");
        else DiagnosticPrinter.Print(stdout, result.Diagnostics, "Problems");
        if (result.Checked is not null)
        {
            if (result.Violations.Count == 0) stdout.WriteLine("Policy: no findings");
            else PolicyPrinter.Text(stdout, result.Violations, "Policy");
        }
        return result.ExitCode;
    }

    private static void WriteTable(TextWriter w, CostEstimate cost)
    {
        string[] header = ["ROLE", "SERVER", "POOL", "SIZE", $"{cost.Currency}/MONTH"];
        var rows = cost.Lines.Select(l => new[] { l.Role, l.Name, l.Pool, l.Size, l.MonthlyPrice is { } p ? Money(p) : "?" }).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Select(r => r[i].Length).Append(header[i].Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
            w.WriteLine(string.Join("  ", row.Select((c, i) => i == row.Length - 1 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd());
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string ShortType(string token) => token.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? token : token[(token.LastIndexOf(':') + 1)..];
}
