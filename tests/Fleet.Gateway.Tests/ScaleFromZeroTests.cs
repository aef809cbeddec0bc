using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

public sealed class ScaleFromZeroTests
{
    [Fact]
    public async Task A_request_for_a_configured_model_is_held_and_served_by_the_first_node_that_becomes_ready()
    {
        await using var setup = await StartAsync();
        var (gateway, tiny, big, key) = setup;

        var held = Chat(gateway, key, "big");
        await gateway.WaitingAsync(1);
        var load = await AdminLoadAsync(gateway);
        using (var http = gateway.Client(key.Secret))
        {
            var models = await http.GetFromJsonAsync<JsonNode>("/v1/models");
            Assert.Equal(["big", "tiny"], models!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        }
        await big.BeatOkAsync(gateway.Address); // the autoscaler's new node comes up

        var response = await held;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello from big-1", (await response.Content.ReadFromJsonAsync<JsonNode>())!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal(1, load["held"]!.GetValue<int>());
        Assert.Equal(1, load["waiting"]!.GetValue<int>());
        var demand = load["models"]!.AsArray().Single(m => m!["model"]!.GetValue<string>() == "big")!;
        Assert.Equal(1, demand["held"]!.GetValue<int>());
        Assert.Equal(0, demand["readyNodes"]!.GetValue<int>());
        Assert.True(demand["configured"]!.GetValue<bool>());
        Assert.Equal(0, (await AdminLoadAsync(gateway))["held"]!.GetValue<int>());
        Assert.Equal(0, tiny.Served);
    }

    [Fact]
    public async Task A_held_request_gets_503_with_Retry_After_when_no_node_is_ready_in_time()
    {
        await using var setup = await StartAsync();
        var (gateway, _, big, key) = setup;

        var held = Chat(gateway, key, "big");
        await gateway.WaitingAsync(1);
        gateway.Advance(TimeSpan.FromMinutes(5));
        var refused = await held;

        await AuthTests.AssertErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "model_not_ready");
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(0, big.Served);
    }

    [Fact]
    public async Task Beyond_the_held_bound_a_request_is_refused_at_once_and_an_unconfigured_model_stays_404()
    {
        await using var setup = await StartAsync(o => o with { ScaleFromZeroMaxHeld = 1 });
        var (gateway, _, big, key) = setup;

        var held = Chat(gateway, key, "big");
        await gateway.WaitingAsync(1);
        var second = await Chat(gateway, key, "big");
        var unknown = await Chat(gateway, key, "nope");
        await big.BeatOkAsync(gateway.Address);

        await AuthTests.AssertErrorAsync(second, HttpStatusCode.ServiceUnavailable, "model_not_ready");
        await AuthTests.AssertErrorAsync(unknown, HttpStatusCode.NotFound, "model_not_found");
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
        Assert.Equal(1, big.Served);
    }

    private static async Task<JsonNode> AdminLoadAsync(TestGateway gateway)
    {
        using var http = gateway.Admin();
        return (await http.GetFromJsonAsync<JsonNode>("/admin/v1/load"))!;
    }

    private static async Task<HttpResponseMessage> Chat(TestGateway gateway, TestKey key, string model)
    {
        using var http = gateway.Client(key.Secret);
        var response = await http.PostAsync("/v1/chat/completions", TestFleet.ChatBody(model));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    // A fleet configured for tiny and big: tiny-1 is ready, big-1 is in the nodes file but has not beaten yet.
    private static async Task<Setup> StartAsync(Func<Configuration.GatewayOptions, Configuration.GatewayOptions>? configure = null)
    {
        var tiny = await TestAgent.StartAsync("tiny-1", model: "tiny");
        var big = await TestAgent.StartAsync("big-1", pool: "gpu", model: "big");
        var key = new TestKey("team-a");
        var gateway = await TestGateway.StartAsync([key], [tiny, big], o => (configure ?? (x => x))(o with { Models = ["tiny", "big"] }));
        await tiny.BeatOkAsync(gateway.Address);
        return new Setup(gateway, tiny, big, key);
    }

    private sealed record Setup(TestGateway Gateway, TestAgent Tiny, TestAgent Big, TestKey Key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Tiny.DisposeAsync();
            await Big.DisposeAsync();
        }
    }
}
