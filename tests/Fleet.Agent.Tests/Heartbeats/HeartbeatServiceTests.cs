using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Inference;
using Fleet.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Fleet.Agent.Tests.Heartbeats;

/// <summary>The agent against a loopback gateway: contract payload, backoff, drain, shutdown, secrecy.</summary>
public sealed class HeartbeatServiceTests : IAsyncLifetime
{
    private const string Token = "node-token-7f3a9c";
    private readonly RecordingTimeProvider _time = new();
    private HeartbeatReceiver _gateway = null!;
    private string _credentialFile = null!;

    public async Task InitializeAsync()
    {
        _gateway = await HeartbeatReceiver.StartAsync();
        _credentialFile = TestModels.NewPath("token");
        await File.WriteAllTextAsync(_credentialFile, Token + "\n");
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Ready_heartbeat_carries_every_contract_field_with_the_bearer_credential()
    {
        await using var agent = await StartAgentAsync();
        var beat = await NextReadyBeatAsync();

        Assert.Equal("Bearer " + Token, beat.Authorization);
        var b = beat.Body;
        Assert.Equal(
            ["backend", "endpoint", "gpus", "instance", "model", "node", "pool", "queue", "sequence", "slots", "state", "tokensPerSecond", "ttftP95Ms", "version"],
            b.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("node-a", b.GetProperty("node").GetString());
        Assert.Equal("pool-x", b.GetProperty("pool").GetString());
        Assert.Equal("0.1.0", b.GetProperty("version").GetString());
        Assert.Equal("ready", b.GetProperty("state").GetString());
        Assert.Equal("http://10.1.2.3:8080", b.GetProperty("endpoint").GetString());
        Assert.Equal("scripted", b.GetProperty("model").GetProperty("id").GetString());
        Assert.Equal(JsonValueKind.Null, b.GetProperty("model").GetProperty("sha256").ValueKind);
        Assert.True(b.GetProperty("model").GetProperty("loaded").GetBoolean());
        Assert.Equal("cpu", b.GetProperty("backend").GetString());
        Assert.Equal(0, b.GetProperty("gpus").GetArrayLength()); // no NVML on this machine: nothing invented
        Assert.Equal(4, b.GetProperty("slots").GetProperty("total").GetInt32());
        Assert.Equal(0, b.GetProperty("slots").GetProperty("busy").GetInt32());
        Assert.Equal(0, b.GetProperty("queue").GetProperty("depth").GetInt32());
        Assert.Equal(JsonValueKind.Number, b.GetProperty("tokensPerSecond").ValueKind);
        Assert.Equal(JsonValueKind.Number, b.GetProperty("ttftP95Ms").ValueKind);
        // One random id per process: the gateway accepts a restarted agent's lower sequence only with a new instance.
        Assert.Matches("^[0-9a-f]{32}$", b.GetProperty("instance").GetString());
        Assert.DoesNotContain(Token, agent.Logs.All);
    }

    [Fact]
    public async Task Backs_off_with_jitter_while_the_gateway_fails_then_uses_the_replied_interval()
    {
        _gateway.Reply = (n, _) => n <= 3 ? (503, """{"error":"down"}""") : (200, """{"intervalSeconds":7,"drain":false}""");
        await using var agent = await StartAgentAsync();

        var sequences = new List<long> { (await _gateway.NextAsync()).Sequence };
        foreach (var ceiling in new[] { 1, 2, 4 })
        {
            var delay = await _time.NextTimerAsync();
            Assert.InRange(delay, TimeSpan.FromSeconds(ceiling / 2.0), TimeSpan.FromSeconds(ceiling));
            _time.Advance(delay);
            sequences.Add((await _gateway.NextAsync()).Sequence);
        }

        Assert.Equal(TimeSpan.FromSeconds(7), await _time.NextTimerAsync());
        Assert.Equal([1, 2, 3, 4], sequences);
        Assert.Contains("heartbeat 1 refused by the gateway: HTTP 503", agent.Logs.All);
        Assert.DoesNotContain(Token, agent.Logs.All);
    }

    [Fact]
    public async Task Drain_reply_stops_new_work_and_is_reported_at_once()
    {
        await using var agent = await StartAgentAsync();
        await NextReadyBeatAsync(drainOnReady: true);

        Assert.Equal("draining", (await _gateway.NextAsync()).State);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await agent.Http.GetAsync("ready")).StatusCode);
        using var refused = await agent.Http.PostAsJsonAsync("v1/completions", new { prompt = "one", max_tokens = 1 });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("draining", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_undrain_from_the_gateway_puts_the_node_back_in_rotation()
    {
        await using var agent = await StartAgentAsync();
        await NextReadyBeatAsync(drainOnReady: true);
        Assert.Equal("draining", (await _gateway.NextAsync()).State);

        _gateway.Reply = (_, _) => (200, """{"intervalSeconds":5,"drain":false}""");
        _time.Advance(await _time.NextTimerAsync());
        await _gateway.NextAsync(); // answered with drain: false
        _time.Advance(await _time.NextTimerAsync());

        Assert.Equal("ready", (await _gateway.NextAsync()).State);
        Assert.Equal(HttpStatusCode.OK, (await agent.Http.GetAsync("ready")).StatusCode);
    }

    [Fact]
    public async Task Shutdown_finishes_the_stream_in_flight_and_sends_a_final_draining_heartbeat()
    {
        var agent = await StartAgentAsync();
        await NextReadyBeatAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions")
        {
            Content = JsonContent.Create(new { prompt = "one", max_tokens = 3000, temperature = 0, stream = true }),
        };
        using var stream = await agent.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);

        var stopping = agent.DisposeAsync().AsTask(); // what SIGTERM does: the host stops
        var (events, done) = await Sse.ReadAllAsync(stream);
        await stopping;

        Assert.True(done, "the in-flight stream must finish with [DONE]");
        Assert.Equal("length", events[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        HeartbeatReceiver.Beat? last = null;
        while (_gateway.TryNext(out var beat)) last = beat;
        Assert.Equal("draining", last?.State);
        Assert.Equal(0, last!.Body.GetProperty("slots").GetProperty("busy").GetInt32());
        Assert.Equal(0, last.Body.GetProperty("queue").GetProperty("depth").GetInt32());
    }

    [Fact]
    public async Task Shutdown_ends_a_stream_that_outlasts_the_drain_timeout_cleanly()
    {
        const int maxTokens = 60_000; // far more than fits in one second
        var agent = await StartAgentAsync(("FLEET_DRAIN_TIMEOUT_SECONDS", "1"), ("FLEET_PARALLEL_SLOTS", "1"), ("FLEET_CONTEXT_SIZE", "65536"));
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/completions")
        {
            Content = JsonContent.Create(new { prompt = "one", max_tokens = maxTokens, temperature = 0, stream = true, stream_options = new { include_usage = true } }),
        };
        using var stream = await agent.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        var stopping = agent.DisposeAsync().AsTask();
        var (events, done) = await Sse.ReadAllAsync(stream);
        await stopping;

        Assert.True(done, "a stream cut by the drain timeout still ends with [DONE]");
        Assert.Equal("length", events[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.True(events[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32() < maxTokens);
    }

    [Fact]
    public async Task A_gateway_that_does_not_answer_the_final_beat_does_not_fail_the_shutdown()
    {
        var agent = await StartAgentAsync();
        await NextReadyBeatAsync();
        _gateway.Hang = true;

        await agent.DisposeAsync(); // throws if a hosted service failed to stop

        Assert.Equal("draining", (await _gateway.NextAsync()).State);
        Assert.Contains("the final draining heartbeat got no answer within 5 s", agent.Logs.All);
    }

    [Fact]
    public async Task Advertises_its_address_inside_the_fleet_network_when_given_a_cidr()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(
            [("FLEET_GATEWAY_URL", _gateway.Url.ToString()),
             ("FLEET_NODE_CREDENTIAL_FILE", _credentialFile),
             ("FLEET_NODE_NAME", "node-a"),
             ("FLEET_POOL", "pool-x"),
             ("FLEET_ADVERTISE_CIDR", "127.0.0.0/8")]),
            overrides: s => s.AddSingleton<TimeProvider>(_time));
        var beat = await NextReadyBeatAsync();

        Assert.StartsWith("http://127.0.0.1:", beat.Body.GetProperty("endpoint").GetString());
    }

    [Fact]
    public void No_address_in_the_range_means_no_advertised_address()
    {
        var local = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Select(a => a.Address).ToArray();
        var unused = new[] { "203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24" }.Select(System.Net.IPNetwork.Parse).First(n => !local.Any(n.Contains));

        Assert.Null(Fleet.Agent.Heartbeats.HeartbeatService.AddressIn(unused));
    }

    private Task<AgentHost> StartAgentAsync(params (string Key, string Value)[] extra) => AgentHost.StartAsync(AgentHost.Env(
            [.. extra,
            ("FLEET_GATEWAY_URL", _gateway.Url.ToString()),
            ("FLEET_NODE_CREDENTIAL_FILE", _credentialFile),
            ("FLEET_NODE_NAME", "node-a"),
            ("FLEET_POOL", "pool-x"),
            ("FLEET_ADVERTISE_URL", "http://10.1.2.3:8080")]),
        overrides: s => s.AddSingleton<TimeProvider>(_time));

    /// <summary>Steps the fake clock beat by beat until the agent reports ready (it may report loading first).</summary>
    private async Task<HeartbeatReceiver.Beat> NextReadyBeatAsync(bool drainOnReady = false)
    {
        if (drainOnReady)
        {
            // Like the gateway: once it asked a node to drain, it keeps asking until an operator undrains it.
            var asked = false;
            _gateway.Reply = (_, body) =>
            {
                asked |= body.GetProperty("state").GetString() == "ready";
                return (200, $$"""{"intervalSeconds":5,"drain":{{(asked ? "true" : "false")}}}""");
            };
        }
        for (var i = 0; i < 20; i++)
        {
            var beat = await _gateway.NextAsync();
            if (beat.State == "ready") return beat;
            _time.Advance(await _time.NextTimerAsync());
        }

        throw new InvalidOperationException("the agent never reported ready");
    }
}
