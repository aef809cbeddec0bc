namespace Fleet.Stacks.Console;

/// <summary>
/// Reads the console's <c>FLEET_CONSOLE_</c> settings, collecting every problem like <c>StacksOptionsReader</c>. The
/// token comes from a file only (<c>FLEET_CONSOLE_TOKEN_FILE</c>), so it never sits in the environment.
/// </summary>
public static class ConsoleOptionsReader
{
    public const string TokenFileVariable = "FLEET_CONSOLE_TOKEN_FILE";
    private const string Fix = "create it with: openssl rand -base64 32 > /run/secrets/fleet-console-token";

    /// <summary>The options, or null with the problems appended to <paramref name="errors"/>.</summary>
    public static ConsoleOptions? Read(Func<string, string?> environment, List<string> errors)
    {
        if (environment("FLEET_CONSOLE_TOKEN") is { Length: > 0 })
            errors.Add($"FLEET_CONSOLE_TOKEN is not read: put the console token in a file and set {TokenFileVariable} to its path ({Fix})");
        var path = environment(TokenFileVariable);
        if (string.IsNullOrWhiteSpace(path)) return errors.Count == 0 ? new ConsoleOptions(null) : null;
        string token;
        try { token = File.ReadAllText(path).Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{TokenFileVariable}={path} cannot be read ({e.GetType().Name}); {Fix}");
            return null;
        }
        if (token.Length < ConsoleOptions.MinTokenLength)
        {
            errors.Add($"{TokenFileVariable}={path} holds a token of {token.Length} characters; it needs at least {ConsoleOptions.MinTokenLength} — {Fix}");
            return null;
        }
        return errors.Count == 0 ? new ConsoleOptions(token) : null;
    }

    /// <summary>
    /// For <c>AddFleetStacks</c> when the host passed no options: reads the process environment and, on a problem, stops the
    /// process the way <c>Program.cs</c> does for the other settings (each problem on stderr, exit code 2).
    /// </summary>
    public static ConsoleOptions FromEnvironment()
    {
        var errors = new List<string>();
        if (Read(Environment.GetEnvironmentVariable, errors) is { } options) return options;
        foreach (var error in errors) System.Console.Error.WriteLine($"fleet-stacks: {error}");
        Environment.Exit(2);
        return null!;
    }
}
