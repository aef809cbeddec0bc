using System.Diagnostics;
using Fleet.Agent.Hosting;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Startup;

/// <summary>Exit codes are an API for supervisors: the real entry point, run as a process.</summary>
public sealed class ExitCodeTests
{
    [Fact]
    public async Task Invalid_configuration_exits_2_listing_the_problems_on_stderr()
    {
        var (code, _, stderr) = await RunAgentAsync(new() { ["FLEET_PARALLEL_SLOTS"] = "many" });
        Assert.Equal(ExitCodes.InvalidConfiguration, code);
        Assert.Contains("FLEET_MODEL_PATH=(unset): no model configured", stderr);
        Assert.Contains("FLEET_PARALLEL_SLOTS='many': must be a whole number from 1 to 256", stderr);
    }

    [Fact]
    public async Task A_model_that_cannot_load_exits_4()
    {
        var path = TestModels.NewPath("garbage.gguf");
        await File.WriteAllTextAsync(path, "not a model");
        var (code, stdout, _) = await RunAgentAsync(new() { ["FLEET_MODEL_PATH"] = path, ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" });
        Assert.Equal(ExitCodes.ModelLoadFailed, code);
        Assert.Contains("agent cannot start: cannot load model", stdout);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAgentAsync(Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "fleet-agent.dll"));
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("FLEET_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(key);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
