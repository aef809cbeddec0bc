using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>One slot and a queue of one: the 429 limit, and a cancelled stream giving its slot to the next request.</summary>
public sealed class AdmissionTests : IAsyncLifetime
{
    // Long enough that, if the slot were not freed, the waiting request would sit behind ~60k tokens (seconds).
    private const int LongMaxTokens = 60_000;
    private AgentHost _agent = null!;
    private HttpClient _streams = null!;

    public async Task InitializeAsync()
    {
        _agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_PARALLEL_SLOTS", "1"), ("FLEET_QUEUE_LIMIT", "1"),
            ("FLEET_CONTEXT_SIZE", "65536")));
        // Disposing a half-read response closes the connection at once, as a client that goes away does
        // (by default SocketsHttpHandler first drains up to 1 MB for up to 2 s to reuse the connection).
        _streams = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _agent.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _streams.Dispose();
        await _agent.DisposeAsync();
    }

    [Fact]
    public async Task Beyond_slots_and_queue_answers_429_with_retry_after_and_a_cancelled_stream_frees_its_slot()
    {
        using var longCts = new CancellationTokenSource();
        using var running = await StartStreamAsync("one", LongMaxTokens, longCts.Token);
        var firstLine = await FirstDataAsync(running);
        Assert.Contains("choices", firstLine);
        Assert.Equal(1, await MetricsText.ReadAsync(_agent.Http, "fleet_agent_slots_busy"));

        using var queued = await StartStreamAsync("hello", 5, CancellationToken.None);
        Assert.Equal(1, await MetricsText.ReadAsync(_agent.Http, "fleet_agent_queue_depth"));

        using var refused = await _agent.Http.PostAsJsonAsync("v1/completions", new { prompt = "two", max_tokens = 2, temperature = 0 });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        using (var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
            Assert.Equal("queue_full", error.RootElement.GetProperty("error").GetProperty("code").GetString());

        // The client of the long stream goes away: its slot goes to the queued request, which completes.
        longCts.Cancel();
        running.Dispose();
        var (events, done) = await Sse.ReadAllAsync(queued);
        Assert.True(done, string.Join("\n", events));
        Assert.True(events.All(e => e.TryGetProperty("choices", out _)), string.Join("\n", events));
        Assert.Equal(" world", string.Concat(events.Select(e => e.GetProperty("choices")[0].GetProperty("text").GetString())));

        var generated = await MetricsText.ReadAsync(_agent.Http, "fleet_agent_completion_tokens_total");
        Assert.True(generated < LongMaxTokens / 2, $"the cancelled request kept generating: {generated} tokens");
        Assert.Equal(0, await MetricsText.ReadAsync(_agent.Http, "fleet_agent_queue_depth"));
        using var after = await _agent.Http.PostAsJsonAsync("v1/completions", new { prompt = "two", max_tokens = 2, temperature = 0 });
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    private async Task<HttpResponseMessage> StartStreamAsync(string prompt, int maxTokens, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions")
        {
            Content = JsonContent.Create(new { prompt, max_tokens = maxTokens, temperature = 0, stream = true }),
        };
        var response = await _streams.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    private static async Task<string> FirstDataAsync(HttpResponseMessage response)
    {
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal)) return line;
        throw new InvalidOperationException("stream ended without data");
    }
}
