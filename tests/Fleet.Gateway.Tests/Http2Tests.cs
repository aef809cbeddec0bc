using System.Net;
using Fleet.Gateway.Tests.Support;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fleet.Gateway.Tests;

public sealed class Http2Tests
{
    [Fact]
    public async Task Clients_may_speak_HTTP2_on_an_h2c_endpoint_configured_the_ASP_NET_way()
    {
        var agent = await TestAgent.StartAsync("a1");
        var key = new TestKey("team-a");
        // What README documents: Kestrel__Endpoints__<name>__Url / __Protocols, here as configuration keys.
        await using var gateway = await TestGateway.StartAsync([key], [agent], host: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:http:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:h2c:Url"] = "http://127.0.0.1:0",
            ["Kestrel:Endpoints:h2c:Protocols"] = "Http2",
        }));
        var beats = new List<HttpStatusCode>();
        foreach (var address in gateway.Addresses)
        {
            try { beats.Add((await agent.BeatAsync(address)).StatusCode); }
            catch (HttpRequestException) { }
        }
        Assert.Single(beats, HttpStatusCode.OK); // the h2c-only endpoint answers HTTP/1.1 with 400

        var served = new List<Version>();
        foreach (var address in gateway.Addresses)
        {
            using var http = new HttpClient { BaseAddress = address };
            http.DefaultRequestHeaders.Authorization = new("Bearer", key.Secret);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = TestFleet.ChatBody(stream: true),
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact, // h2c with prior knowledge
            };
            try
            {
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync());
                served.Add(response.Version);
            }
            catch (HttpRequestException) { } // the default endpoint refuses h2c (HTTP_1_1_REQUIRED, or a reset)
        }

        Assert.Equal([HttpVersion.Version20], served);
        await agent.DisposeAsync();
    }

    [Fact]
    public async Task The_gateway_may_speak_HTTP2_to_agents()
    {
        var agent = await TestAgent.StartAsync("a1", protocols: HttpProtocols.Http2);
        var key = new TestKey("team-a");
        await using var gateway = await TestGateway.StartAsync([key], [agent], o => o with { UpstreamHttpVersion = HttpVersion.Version20 });
        await agent.BeatOkAsync(gateway.Address);
        using var http = gateway.Client(key.Secret);

        var response = await http.PostAsync("/v1/chat/completions", TestFleet.ChatBody());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HTTP/2", Assert.Single(agent.Protocols));
        await agent.DisposeAsync();
    }
}
