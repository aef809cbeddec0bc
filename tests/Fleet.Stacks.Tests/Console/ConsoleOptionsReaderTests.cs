using Fleet.Stacks.Console;

namespace Fleet.Stacks.Tests.Console;

public sealed class ConsoleOptionsReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("console-options-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private (ConsoleOptions? Options, List<string> Errors) Read(Dictionary<string, string> env)
    {
        var errors = new List<string>();
        return (ConsoleOptionsReader.Read(k => env.GetValueOrDefault(k), errors), errors);
    }

    [Fact]
    public void Without_a_token_file_the_console_is_read_only()
    {
        var (options, errors) = Read([]);
        Assert.Empty(errors);
        Assert.False(options!.ActionsEnabled);
    }

    [Fact]
    public void Accepts_a_token_file_and_trims_its_newline()
    {
        var path = Path.Combine(_dir, "token");
        File.WriteAllText(path, new string('k', 44) + "\n");
        var (options, errors) = Read(new() { ["FLEET_CONSOLE_TOKEN_FILE"] = path });
        Assert.Empty(errors);
        Assert.Equal(new string('k', 44), options!.Token);
        Assert.DoesNotContain("kkkk", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_missing_file_naming_the_variable_and_the_fix()
    {
        var (options, errors) = Read(new() { ["FLEET_CONSOLE_TOKEN_FILE"] = Path.Combine(_dir, "absent") });
        Assert.Null(options);
        var error = Assert.Single(errors);
        Assert.StartsWith($"FLEET_CONSOLE_TOKEN_FILE={Path.Combine(_dir, "absent")} cannot be read", error, StringComparison.Ordinal);
        Assert.Contains("openssl rand -base64 32 >", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_a_short_token_and_a_token_in_the_environment()
    {
        var path = Path.Combine(_dir, "short");
        File.WriteAllText(path, "hunter2");
        var (options, errors) = Read(new() { ["FLEET_CONSOLE_TOKEN_FILE"] = path, ["FLEET_CONSOLE_TOKEN"] = "x" });
        Assert.Null(options);
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("FLEET_CONSOLE_TOKEN is not read: put the console token in a file", errors[0], StringComparison.Ordinal);
        Assert.Contains("holds a token of 7 characters; it needs at least 32", errors[1], StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", string.Join('\n', errors), StringComparison.Ordinal);
    }
}
