using System.Diagnostics;
using System.Net.Http.Json;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Telemetry;

/// <summary>/metrics after real traffic, checked by Prometheus' own promtool (Debian package "prometheus").</summary>
public sealed class MetricsTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task Metrics_pass_promtool_and_count_the_traffic()
    {
        var http = fixture.Agent.Http;
        (await http.PostAsJsonAsync("v1/completions", new { prompt = "one two three", max_tokens = 3, temperature = 0 })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("v1/completions", new { prompt = "x", n = 5 })).Dispose();

        using var response = await http.GetAsync("metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();

        var (code, output) = await PromtoolAsync(text);
        Assert.True(code == 0, $"promtool check metrics failed:\n{output}\n---\n{text}");
        Assert.Contains("fleet_agent_requests_total{endpoint=\"completions\",status=\"200\"} ", text);
        Assert.Contains("fleet_agent_requests_total{endpoint=\"completions\",status=\"400\"} 1", text);
        Assert.Contains("fleet_agent_slots 4\n", text);
        Assert.Contains("fleet_agent_ready 1\n", text);
        Assert.Contains("fleet_agent_backend_info{backend=\"cpu\",avx=\"", text);
        Assert.Contains("fleet_agent_time_to_first_token_seconds_bucket{le=\"+Inf\"} ", text);
        Assert.True(await MetricsText.ReadAsync(http, "fleet_agent_completion_tokens_total") >= 3);
        Assert.True(await MetricsText.ReadAsync(http, "fleet_agent_model_load_seconds") > 0);
    }

    [Fact]
    public void Without_a_gateway_url_the_agent_runs_standalone() =>
        Assert.Contains("running standalone, no heartbeats", fixture.Agent.Logs.All);

    private static async Task<(int Code, string Output)> PromtoolAsync(string metrics)
    {
        var promtool = new[] { "/usr/bin/promtool", "/usr/local/bin/promtool" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("promtool not found: apt-get install prometheus (CI's .ci/run installs it)");
        using var process = Process.Start(new ProcessStartInfo(promtool, "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
