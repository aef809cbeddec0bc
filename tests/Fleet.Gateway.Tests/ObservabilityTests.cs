using System.Diagnostics;
using System.Net;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

public sealed class ObservabilityTests
{
    [Fact]
    public async Task Metrics_cover_nodes_and_keys_and_pass_promtool()
    {
        var key = new TestKey("team-a", RequestsPerMinute: 2);
        await using var fleet = await TestFleet.StartAsync([4, 2], [key]);
        await fleet.ChatAsync(key);
        await fleet.ChatAsync(key, stream: true);
        await fleet.ChatAsync(key);
        using var http = fleet.Gateway.Client(null);

        var text = await http.GetStringAsync("/metrics");

        Assert.Contains("fleet_gateway_node_state{node=\"a1\",pool=\"cpu\",state=\"ready\"} 1", text);
        Assert.Contains("fleet_gateway_node_slots{node=\"a2\",pool=\"cpu\"} 2", text);
        Assert.Contains("fleet_gateway_key_requests_total{key=\"team-a\",code=\"200\"} 2", text);
        Assert.Contains("fleet_gateway_key_rate_limited_total{key=\"team-a\",limit=\"requests\"} 1", text);
        Assert.Contains("fleet_gateway_key_tokens_total{key=\"team-a\"} 16", text); // 8 from each usage: the stream's is asked for by the gateway
        Assert.Contains("fleet_gateway_heartbeats_total{outcome=\"accepted\"} 2", text);
        var (code, output) = await PromtoolCheckAsync(text);
        Assert.True(code == 0, $"promtool check metrics: {output}");
    }

    [Fact]
    public async Task Health_is_up_and_ready_once_the_files_are_loaded()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var http = fleet.Gateway.Client(null);

        Assert.Equal("ok\n", await http.GetStringAsync("/health"));
        Assert.Equal("""{"ready":true,"apiKeys":true,"nodes":true,"adminToken":true,"readyNodes":1,"jwtIssuers":true}""", await http.GetStringAsync("/ready"));
    }

    // promtool comes from Debian's prometheus package, which .ci/run installs.
    private static async Task<(int, string)> PromtoolCheckAsync(string metrics)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = ExternalTool.Start(start, "prometheus");
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
