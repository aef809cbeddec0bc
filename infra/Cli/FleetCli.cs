using System.CommandLine;
using Fleet.Infra.Configuration;

namespace Fleet.Infra.Cli;

/// <summary>
/// The <c>fleet</c> command line: its commands, and the exit codes of <see cref="ExitCodes"/> — a bad command line
/// (an unknown command or option, a bad option value) is <see cref="ExitCodes.Usage"/>, reported on stderr, so stdout
/// stays data even when the Pulumi host passes something wrong.
/// </summary>
public static class FleetCli
{
    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Create() => new("fleet: synthesize, plan and validate a Fleet inference stack for the Pulumi engine")
    {
        SynthCommand.Create(),
        PlanCommand.Create(),
        ValidateCommand.Create(),
        SyncCommand.Create(),
        PolicyCommand.Create(),
    };

    /// <summary>Parses and runs <paramref name="args"/>; what <c>Program.cs</c> returns as the process exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = Create();
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0) return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });

        foreach (var error in parse.Errors) stderr.WriteLine($"fleet: {error.Message}");
        var command = parse.CommandResult.Command;
        var unknown = parse.UnmatchedTokens.FirstOrDefault();
        var candidates = unknown is not null && unknown.StartsWith('-')
            ? command.Options.SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Select(c => c.Name);
        if (unknown is not null && NearestMatch.Find(unknown, candidates) is { } near) stderr.WriteLine($"fleet: did you mean '{near}'?");
        stderr.WriteLine($"usage: see `{(command == root ? "fleet" : $"fleet {command.Name}")} --help`");
        return ExitCodes.Usage;
    }
}
