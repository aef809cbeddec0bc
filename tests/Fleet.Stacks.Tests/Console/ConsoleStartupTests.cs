using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests.Console;

/// <summary>The real binary reads <c>FLEET_CONSOLE_TOKEN_FILE</c> at start and stops like it does for any other bad setting.</summary>
public sealed class ConsoleStartupTests : IDisposable
{
    private readonly TestProject _project = new();

    public void Dispose() => _project.Dispose();

    [Fact]
    public async Task An_unreadable_token_file_stops_the_service_with_exit_code_2_naming_the_variable()
    {
        var missing = Path.Combine(_project.Directory, "no-such-token");
        using var service = ServiceProcess.Start(_project, ServiceProcess.FreePort(), env => env["FLEET_CONSOLE_TOKEN_FILE"] = missing);
        await service.Process.WaitForExitAsync();
        service.Process.WaitForExit(); // drains the redirected output
        Assert.Equal(2, service.Process.ExitCode);
        Assert.Contains($"fleet-stacks: FLEET_CONSOLE_TOKEN_FILE={missing} cannot be read", string.Join('\n', service.Output), StringComparison.Ordinal);
    }
}
