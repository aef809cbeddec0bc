using System.Text.RegularExpressions;
using Fleet.Infra.PulumiCli;

namespace Fleet.Stacks.Pulumi;

/// <summary>
/// A <c>pulumi</c> command that exited non-zero. <see cref="FromResult"/> is the ONE place stderr is classified
/// (as pulumi-dotnet's <c>CommandException.CreateFromResult</c>): the CLI's exit codes do not distinguish a
/// concurrent update (255 before v3.226, 1 after), so the text decides.
/// </summary>
public partial class PulumiCommandException(string command, CommandResult? result, string message) : Exception(message)
{
    /// <summary>The argv that failed, joined for messages.</summary>
    public string Command { get; } = command;

    public CommandResult? Result { get; } = result;

    public static PulumiCommandException FromResult(IReadOnlyList<string> args, CommandResult result)
    {
        var command = "pulumi " + string.Join(' ', args);
        var stderr = result.StandardError.Trim();
        var tail = stderr.Length > 2000 ? stderr[^2000..] : stderr;
        var message = $"`{command}` exited {result.ExitCode}: {tail}";
        if (ConflictCloud().IsMatch(stderr) || ConflictDiy().IsMatch(stderr)) return new ConcurrentUpdateException(command, result, message);
        if (StackNotFound().IsMatch(stderr)) return new StackNotFoundException(command, result, message);
        return new PulumiCommandException(command, result, message);
    }

    // Pulumi Cloud's text (matched verbatim by the Go, Node and .NET SDKs) and the DIY backends' lock message.
    [GeneratedRegex(@"\[409\] Conflict: Another update is currently in progress\.")]
    private static partial Regex ConflictCloud();

    [GeneratedRegex("the stack is currently locked by")]
    private static partial Regex ConflictDiy();

    [GeneratedRegex("no stack named.*found")]
    private static partial Regex StackNotFound();
}
