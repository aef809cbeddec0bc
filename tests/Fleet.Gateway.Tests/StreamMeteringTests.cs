using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

/// <summary>Tokens per minute hold for streams too: prompt and completion tokens are charged whatever the client asked.</summary>
public sealed class StreamMeteringTests
{
    [Fact]
    public async Task Streams_without_include_usage_are_charged_their_prompts_and_hit_the_tokens_limit()
    {
        var key = new TestKey("team-a", TokensPerMinute: 10_000);
        await using var fleet = await TestFleet.StartAsync([64], [key]);
        var prompt = new string('w', 6000); // ~1,500 tokens each

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await fleet.ChatAsync(key, stream: true, content: prompt);
            codes.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.OK)
                Assert.DoesNotContain("\"usage\"", await response.Content.ReadAsStringAsync()); // the client did not ask for it
        }

        var served = codes.Count(c => c == HttpStatusCode.OK);
        Assert.Equal(7, served); // 10,000 tokens / 1,505 per request: the 7th overdraws, the rest wait
        Assert.All(codes.Skip(served), c => Assert.Equal(HttpStatusCode.TooManyRequests, c));
        Assert.All(fleet["a1"].StreamRequests, s => Assert.Equal("""{"include_usage":true}""", s));
        using var http = fleet.Gateway.Client(null);
        Assert.Contains($"fleet_gateway_key_tokens_total{{key=\"team-a\"}} {served * 1505}", await http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task Concurrent_streams_cannot_all_spend_the_same_token_balance()
    {
        var key = new TestKey("team-a", TokensPerMinute: 10_000);
        await using var fleet = await TestFleet.StartAsync([64], [key]);
        var a1 = fleet["a1"];
        var hold = a1.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var prompt = new string('w', 6000); // each request reserves its prompt estimate (~1,520 tokens) before it is forwarded

        var requests = Enumerable.Range(0, 30).Select(_ => fleet.ChatAsync(key, stream: true, content: prompt)).ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (a1.Served + requests.Count(r => r.IsCompleted) < 30)
            await Task.Delay(20, timeout.Token); // the refused answer at once; the admitted wait on the node
        hold.SetResult();
        var codes = (await Task.WhenAll(requests)).Select(r => r.StatusCode).ToList();

        Assert.Equal(7, a1.Served); // 10,000 / ~1,520: the 7th overdraws the balance, the other 23 are refused
        Assert.Equal(23, codes.Count(c => c == HttpStatusCode.TooManyRequests));
        using var http = fleet.Gateway.Client(null);
        Assert.Contains($"fleet_gateway_key_tokens_total{{key=\"team-a\"}} {7 * 1505}", await http.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task A_client_that_asks_for_usage_gets_it_and_its_other_stream_options_are_kept()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        using var http = fleet.Client();

        var asked = await StreamAsync(http, """{"model":"tiny","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""");
        var other = await StreamAsync(http, """{"model":"tiny","stream":true,"stream_options":{"include_usage":false,"x":[1,{"include_usage":false}]},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Contains("\"usage\":{\"prompt_tokens\":3", asked);
        Assert.DoesNotContain("\"usage\"", other);
        Assert.EndsWith("data: [DONE]\n\n", other);
        Assert.DoesNotContain("\n\n\n", other);
        Assert.Equal(["""{"include_usage":true}""", """{"include_usage":true,"x":[1,{"include_usage":false}]}"""], fleet["a1"].StreamRequests);
    }

    [Fact]
    public async Task A_node_that_reports_no_usage_is_charged_an_estimate_of_the_prompt()
    {
        await using var fleet = await TestFleet.StartAsync([4]);
        fleet["a1"].ReportsUsage = false;

        using var response = await fleet.ChatAsync(stream: true, content: new string('w', 4000));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var http = fleet.Gateway.Client(null);
        var metrics = await http.GetStringAsync("/metrics");
        var charged = double.Parse(metrics.Split('\n').Single(l => l.StartsWith("fleet_gateway_key_tokens_total{", StringComparison.Ordinal)).Split(' ')[1],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(charged, 1000 + 3, 1100); // ~4,060 body bytes / 4, plus the 3 streamed chunks
    }

    private static async Task<string> StreamAsync(HttpClient http, string json)
    {
        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
