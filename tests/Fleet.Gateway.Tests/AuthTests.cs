using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task Missing_key_is_401_in_the_OpenAI_shape()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var http = fleet.Gateway.Client(apiKey: null);

        var response = await http.PostAsync("/v1/chat/completions", TestFleet.ChatBody());

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(0, fleet["a1"].Served);
    }

    [Fact]
    public async Task Wrong_key_is_401()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var http = fleet.Gateway.Client("sk-not-a-key");

        var response = await http.PostAsync("/v1/chat/completions", TestFleet.ChatBody());

        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
    }

    [Fact]
    public async Task Revoked_key_is_401_once_the_keys_file_is_rewritten()
    {
        var keep = new TestKey("keep");
        var revoke = new TestKey("revoke");
        await using var fleet = await TestFleet.StartAsync([4], [keep, revoke]);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(revoke)).StatusCode);

        fleet.Gateway.RewriteKeys([keep]);
        fleet.Gateway.Advance(TimeSpan.FromSeconds(2));
        await fleet.BeatAsync();

        await AssertErrorAsync(await fleet.ChatAsync(revoke), HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(keep)).StatusCode);
    }

    [Fact]
    public async Task Model_outside_the_keys_allow_list_is_403()
    {
        var narrow = new TestKey("narrow", Models: ["big"]);
        await using var fleet = await TestFleet.StartAsync([4], [narrow]);

        await AssertErrorAsync(await fleet.ChatAsync(narrow, model: "tiny"), HttpStatusCode.Forbidden, "model_not_allowed");
        Assert.Equal(0, fleet["a1"].Served);
    }

    [Fact]
    public async Task Requests_per_minute_limit_answers_429_with_Retry_After_then_refills()
    {
        var key = new TestKey("slow", RequestsPerMinute: 2);
        await using var fleet = await TestFleet.StartAsync([4], [key]);

        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(key)).StatusCode);
        var refused = await fleet.ChatAsync(key);

        await AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(2, fleet["a1"].Served);

        fleet.Gateway.Advance(TimeSpan.FromSeconds(30));
        await fleet.BeatAsync();
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(key)).StatusCode);
    }

    [Fact]
    public async Task Tokens_per_minute_limit_counts_the_usage_the_node_reports()
    {
        // 10 tokens/min; every answer reports usage.total_tokens = 8: the second request overdraws, the third waits.
        var key = new TestKey("thrifty", TokensPerMinute: 10);
        await using var fleet = await TestFleet.StartAsync([4], [key]);

        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(key)).StatusCode);
        var refused = await fleet.ChatAsync(key);

        await AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal(TimeSpan.FromSeconds(37), refused.Headers.RetryAfter?.Delta); // 6 tokens owed at 10/60 per second
        fleet.Gateway.Advance(TimeSpan.FromSeconds(37));
        await fleet.BeatAsync();
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(key)).StatusCode);
    }

    [Fact]
    public async Task Tokens_per_minute_limit_charges_an_estimate_for_streams_of_a_node_that_sends_no_usage()
    {
        var key = new TestKey("streamer", TokensPerMinute: 60);
        await using var fleet = await TestFleet.StartAsync([4], [key]);
        fleet["a1"].StreamChunks = 3;
        fleet["a1"].ReportsUsage = false;
        var perRequest = (await TestFleet.ChatBody(stream: true).ReadAsByteArrayAsync()).Length / 4.0;
        var charged = (long)Math.Ceiling(perRequest) + 3; // the prompt estimated from its bytes, plus one per streamed chunk

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(key, stream: true)).StatusCode);
        var refused = await fleet.ChatAsync(key, stream: true);

        await AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        Assert.Equal(TimeSpan.FromSeconds(3 * charged - 60 + 1), refused.Headers.RetryAfter?.Delta); // owed tokens at 1 per second
    }

    [Fact]
    public async Task Malformed_key_entries_are_skipped_and_reported_the_rest_stay_in_force()
    {
        var good = new TestKey("good");
        await using var fleet = await TestFleet.StartAsync([4], [good]);
        var hash = Credentials.SecretHash.HexOf(good.Secret);
        File.WriteAllText(fleet.Gateway.Options.ApiKeysFile, $$$"""
            {"keys":[{"name":"good","sha256":"{{{hash}}}","requestsPerMinute":5,"tokensPerMinute":100},
                     {"name":"short","sha256":"abc","requestsPerMinute":5,"tokensPerMinute":100},
                     {"name":"good","sha256":"{{{hash}}}","requestsPerMinute":9,"tokensPerMinute":100}]}
            """);

        fleet.Gateway.Advance(TimeSpan.FromSeconds(2));

        Assert.Contains(fleet.Gateway.Logs.Lines, l => l.Contains("keys[1] (short): \"sha256\" must be 64 hex digits"));
        Assert.Contains(fleet.Gateway.Logs.Lines, l => l.Contains("keys[2] (good): name used twice"));
        await fleet.BeatAsync();
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(good)).StatusCode);
    }

    [Fact]
    public async Task A_broken_keys_file_keeps_the_previous_keys()
    {
        var key = new TestKey("team-a");
        await using var fleet = await TestFleet.StartAsync([4], [key]);

        File.WriteAllText(fleet.Gateway.Options.ApiKeysFile, "{ not json");
        fleet.Gateway.Advance(TimeSpan.FromSeconds(2));
        await fleet.BeatAsync();

        Assert.Contains(fleet.Gateway.Logs.Lines, l => l.Contains("API keys file is not valid JSON"));
        Assert.Equal(HttpStatusCode.OK, (await fleet.ChatAsync(key)).StatusCode);
    }

    internal static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonNode>();
        Assert.Equal(code, json!["error"]!["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["error"]!["message"]!.GetValue<string>()));
        Assert.NotNull(json["error"]!["type"]);
    }
}
