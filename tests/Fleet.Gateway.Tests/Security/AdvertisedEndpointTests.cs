using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests.Security;

/// <summary>A node credential must not redirect client traffic: a node may only advertise its own private address.</summary>
public sealed class AdvertisedEndpointTests
{
    [Theory]
    [InlineData("http://127.0.0.2:{port}", HttpStatusCode.Forbidden)]                      // another host on the private network
    [InlineData("http://169.254.169.254:{port}", HttpStatusCode.Forbidden)]                // the cloud metadata service
    [InlineData("http://8.8.8.8:{port}", HttpStatusCode.Forbidden)]                        // a public address
    [InlineData("http://[::ffff:8.8.8.8]:{port}", HttpStatusCode.Forbidden)]               // the same, IPv4-mapped
    [InlineData("http://user:password@127.0.0.1:{port}", HttpStatusCode.BadRequest)]       // user info
    [InlineData("http://127.0.0.1:{port}@8.8.8.8:{port}", HttpStatusCode.BadRequest)]      // user info that looks like the host
    [InlineData("http://127.0.0.1:{port}/v1/evil?x=1#y", HttpStatusCode.BadRequest)]       // path tricks
    [InlineData("http://localhost:{port}", HttpStatusCode.BadRequest)]                     // a name, resolved who knows where
    [InlineData("https://127.0.0.1:{port}", HttpStatusCode.BadRequest)]
    [InlineData("file:///etc/passwd", HttpStatusCode.BadRequest)]
    public async Task A_node_cannot_advertise_anything_but_its_own_address(string endpoint, HttpStatusCode expected)
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var a1 = fleet["a1"];
        var claimed = endpoint.Replace("{port}", a1.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        using var response = await a1.BeatAsync(fleet.Gateway.Address, edit: j => { j["endpoint"] = claimed; j["slots"]!["total"] = 1000; });

        Assert.Equal(expected, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonNode>())!["error"]!;
        Assert.Equal("endpoint", error["param"]!.GetValue<string>());
        Assert.Equal(a1.Endpoint.ToString().TrimEnd('/'), (await fleet.AdminGetAsync("/admin/v1/nodes/a1"))["endpoint"]!.GetValue<string>());
        Assert.Equal("a1", await TestFleet.ServedByAsync(await fleet.ChatAsync()));
        Assert.Equal(1, a1.Served);
    }

    [Fact]
    public async Task The_stored_endpoint_is_the_gateways_own_canonical_form()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var a1 = fleet["a1"];

        using var response = await a1.BeatAsync(fleet.Gateway.Address, edit: j => j["endpoint"] = $"HTTP://127.000.000.001:{a1.Endpoint.Port}/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"http://127.0.0.1:{a1.Endpoint.Port}", (await fleet.AdminGetAsync("/admin/v1/nodes/a1"))["endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_heartbeat_from_outside_the_private_network_is_refused()
    {
        await using var agent = await TestAgent.StartAsync("a1");
        await using var gateway = await TestGateway.StartAsync([new TestKey("team-a")], [agent],
            o => o with { PrivateNetworks = [IPNetwork.Parse("10.0.0.0/8")] });

        using var response = await agent.BeatAsync(gateway.Address);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonNode>())!["error"]!;
        Assert.Equal("endpoint_not_allowed", error["code"]!.GetValue<string>());
        Assert.Contains("outside the fleet's private network (10.0.0.0/8, FLEET_PRIVATE_CIDR)", error["message"]!.GetValue<string>());
        Assert.Contains("Heartbeat refused", string.Join("\n", gateway.Logs.Lines));
    }

    [Fact]
    public async Task Only_the_agent_port_may_be_advertised()
    {
        await using var agent = await TestAgent.StartAsync("a1");
        await using var gateway = await TestGateway.StartAsync([new TestKey("team-a")], [agent], o => o with { AgentPort = agent.Endpoint.Port });
        var otherPort = agent.Endpoint.Port == 65535 ? 1024 : agent.Endpoint.Port + 1;

        using var honest = await agent.BeatAsync(gateway.Address);
        using var elsewhere = await agent.BeatAsync(gateway.Address, endpoint: new Uri($"http://127.0.0.1:{otherPort}"));

        Assert.Equal(HttpStatusCode.OK, honest.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        Assert.Contains($"agents listen on port {agent.Endpoint.Port} (FLEET_AGENT_PORT)", await elsewhere.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Forwarded_headers_do_not_change_the_source_address()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        var a1 = fleet["a1"];

        using var response = await a1.BeatAsync(fleet.Gateway.Address, endpoint: new Uri($"http://127.0.0.9:{a1.Endpoint.Port}"),
            request: r => { r.Headers.Add("X-Forwarded-For", "127.0.0.9"); r.Headers.Add("X-Real-IP", "127.0.0.9"); r.Headers.Add("Forwarded", "for=127.0.0.9"); });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("came from 127.0.0.1", await response.Content.ReadAsStringAsync());
    }
}
