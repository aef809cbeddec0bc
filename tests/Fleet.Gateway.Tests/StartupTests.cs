using System.Diagnostics;
using Fleet.Gateway.Hosting;

namespace Fleet.Gateway.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task Invalid_configuration_exits_2_listing_every_problem_on_stderr()
    {
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "Fleet.Gateway.dll")}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("FLEET_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["FLEET_DEAD_AFTER_SECONDS"] = "90";

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ExitCodes.InvalidConfiguration, process.ExitCode);
        Assert.Equal("", stdout);
        Assert.Equal(
            ["fleet-gateway: FLEET_NODES_FILE is not set; set it to the path of the node credentials file the stack writes",
             "fleet-gateway: FLEET_API_KEYS_FILE is not set; set it to the path of the API keys file the stack writes",
             "fleet-gateway: FLEET_ADMIN_TOKEN_FILE is not set; set it to the path of the file holding the admin API token",
             "fleet-gateway: FLEET_DEAD_AFTER_SECONDS=90 exceeds 60 s, the dead-node detection target; set it to at most 60"],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
