using System.Net;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

public sealed class HeartbeatTests
{
    [Fact]
    public async Task Heartbeat_reply_carries_the_interval_and_no_drain()
    {
        await using var fleet = await TestFleet.StartAsync([4]);

        var reply = await fleet["a1"].BeatOkAsync(fleet.Gateway.Address);

        Assert.Equal(5, reply.IntervalSeconds);
        Assert.False(reply.Drain);
    }

    [Fact]
    public async Task Wrong_node_credential_is_401_and_registers_nothing()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4]);
        fleet["a2"].Model = "other";

        using var response = await fleet["a2"].BeatAsync(fleet.Gateway.Address, credential: "not-the-credential");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("tiny", (await fleet.AdminGetAsync("/admin/v1/nodes/a2"))["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_node_cannot_report_as_another_node()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4]);
        var liar = fleet["a2"];

        using var asA1 = await liar.BeatAsync(fleet.Gateway.Address, node: "a1", endpoint: new Uri("http://127.0.0.1:9"));
        using var otherPool = await liar.BeatAsync(fleet.Gateway.Address, pool: "gpu");

        Assert.Equal(HttpStatusCode.Forbidden, asA1.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherPool.StatusCode);
        Assert.Equal(fleet["a1"].Endpoint.ToString().TrimEnd('/'), (await fleet.AdminGetAsync("/admin/v1/nodes/a1"))["endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_node_removed_from_the_nodes_file_is_refused_and_forgotten()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4]);

        fleet.Gateway.RewriteNodes([fleet["a1"]]);
        fleet.Gateway.Advance(TimeSpan.FromSeconds(2));
        using var response = await fleet["a2"].BeatAsync(fleet.Gateway.Address);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var nodes = (await fleet.AdminGetAsync("/admin/v1/nodes"))["nodes"]!.AsArray();
        Assert.Equal(["a1"], nodes.Select(n => n!["node"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Malformed_heartbeat_is_400_with_the_reason()
    {
        await using var fleet = await TestFleet.StartAsync([4]);

        using var response = await fleet["a1"].BeatAsync(fleet.Gateway.Address, endpoint: new Uri("ftp://10.0.0.5/"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("endpoint", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task No_secret_reaches_the_logs()
    {
        var key = new TestKey("team-a");
        await using var fleet = await TestFleet.StartAsync([4, 4], [key]);
        await fleet.ChatAsync(key);
        await fleet.ChatAsync(new TestKey("intruder"));
        await fleet["a2"].BeatAsync(fleet.Gateway.Address, node: "a1");
        await fleet["a1"].BeatAsync(fleet.Gateway.Address, credential: fleet["a2"].Credential + "x");

        var logs = string.Join("\n", fleet.Gateway.Logs.Lines);

        Assert.Contains("Heartbeat refused", logs);
        foreach (var secret in new[] { key.Secret, fleet["a1"].Credential, fleet["a2"].Credential, fleet.Gateway.AdminToken, "sk-test-intruder" })
            Assert.DoesNotContain(secret, logs);
    }
}
