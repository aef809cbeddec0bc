using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests.Embeddings;

/// <summary><c>POST /v1/embeddings</c> through the gateway: routed, checked and metered like a completion, never streamed.</summary>
public sealed class EmbeddingsTests
{
    private static StringContent Body(string model = "tiny", string extra = "") =>
        new($$"""{"model":"{{model}}","input":["hello","world"]{{extra}}}""", Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> EmbedAsync(TestFleet fleet, TestKey? key = null, StringContent? body = null)
    {
        using var http = fleet.Client(key);
        var response = await http.PostAsync("/v1/embeddings", body ?? Body());
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    [Fact]
    public async Task Goes_to_the_least_loaded_ready_node_serving_the_model_and_passes_its_answer_through()
    {
        await using var fleet = await TestFleet.StartAsync([4, 4, 4]);
        fleet["a1"].Model = "embed";
        fleet["a3"].Model = "embed";
        fleet["a3"].ReportedBusy = 3;
        await fleet.BeatAsync();

        var response = await EmbedAsync(fleet, body: Body("embed"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("list", json["object"]!.GetValue<string>());
        Assert.Equal([0.6, 0.8], json["data"]![0]!["embedding"]!.AsArray().Select(v => v!.GetValue<double>()));
        Assert.Equal((1, 0, 0), (fleet["a1"].Served, fleet["a2"].Served, fleet["a3"].Served));
        Assert.Equal("""["hello","world"]""", fleet["a1"].Prompts.Single());
        Assert.Equal([""], fleet["a1"].AuthorizationHeaders); // the client's key is never forwarded
    }

    [Fact]
    public async Task Prompt_tokens_are_charged_against_tokens_per_minute()
    {
        var key = new TestKey("small", TokensPerMinute: 10);
        await using var fleet = await TestFleet.StartAsync([4], [key]);
        fleet["a1"].EmbeddingTokens = 12;

        Assert.Equal(HttpStatusCode.OK, (await EmbedAsync(fleet, key)).StatusCode);
        var refused = await EmbedAsync(fleet, key);

        await AuthTests.AssertErrorAsync(refused, (HttpStatusCode)429, "rate_limit_exceeded");
        Assert.Equal("tokens", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(1, fleet["a1"].Served);
        using var http = fleet.Gateway.Client(null);
        Assert.Contains("fleet_gateway_key_tokens_total{key=\"small\"} 12", await http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Key_allow_list_model_and_body_are_checked_before_any_node_is_asked()
    {
        var narrow = new TestKey("narrow", Models: ["other"]);
        await using var fleet = await TestFleet.StartAsync([4], [new TestKey("team-a"), narrow], o => o with { MaxRequestBodyBytes = 1024 });
        using (var anonymous = fleet.Gateway.Client(null))
            await AuthTests.AssertErrorAsync(await anonymous.PostAsync("/v1/embeddings", Body()), HttpStatusCode.Unauthorized, "invalid_api_key");

        await AuthTests.AssertErrorAsync(await EmbedAsync(fleet, narrow), HttpStatusCode.Forbidden, "model_not_allowed");
        await AuthTests.AssertErrorAsync(await EmbedAsync(fleet, body: Body("nope")), HttpStatusCode.NotFound, "model_not_found");
        await AuthTests.AssertErrorAsync(await EmbedAsync(fleet, body: Body(extra: $",\"user\":\"{new string('x', 2000)}\"")),
            HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        var streamed = await EmbedAsync(fleet, body: Body(extra: ",\"stream\":true"));
        Assert.Equal("stream", JsonNode.Parse(await streamed.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
        await AuthTests.AssertErrorAsync(streamed, HttpStatusCode.BadRequest, "unsupported_parameter");
        await AuthTests.AssertErrorAsync(await EmbedAsync(fleet, body: new StringContent("[1]", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(0, fleet["a1"].Served);
    }
}
