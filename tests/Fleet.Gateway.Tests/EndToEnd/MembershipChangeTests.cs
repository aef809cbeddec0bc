using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Agent.Tests.Gguf;
using Fleet.Gateway.Registry;
using Fleet.Gateway.Routing;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests.EndToEnd;

/// <summary>
/// Issue 11, "Scaling never restarts the front door": real agents behind a running gateway while long streams are open;
/// the nodes file is rewritten the way the Swarm stack does it (<c>cat &gt; f.tmp &amp;&amp; mv f.tmp f</c>) and the keys file the way
/// kubelet updates a mounted Secret (a new timestamped directory, <c>..data</c> symlink swapped by rename). Every open stream
/// ends with all its chunks and <c>[DONE]</c>, no request fails, new requests reach a new node once it has beaten, a removed
/// node gets none, and the gateway keeps its state (the same registry entries, rate-limit budgets, counters).
/// </summary>
public sealed class MembershipChangeTests : IAsyncLifetime
{
    internal const string CountingText = " four five six seven eight nine ten one two three four five six seven eight nine ten one two three";
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-gateway-scale-").FullName;
    private readonly TestKey _steady = new("steady", RequestsPerMinute: 100_000, TokensPerMinute: 10_000_000);
    private readonly TestKey _teamA = new("team-a", RequestsPerMinute: 100_000, TokensPerMinute: 10_000_000);
    private readonly TestKey _teamB = new("team-b", RequestsPerMinute: 100_000, TokensPerMinute: 10_000_000);
    private readonly TestKey _metered = new("metered", RequestsPerMinute: 3, TokensPerMinute: 10_000_000);
    private readonly List<RealAgent> _agents = [];
    private readonly Dictionary<string, string> _credentials = [];
    private string _model = null!;
    private string _secretDir = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _model = new ScriptedModel().WriteTo(Path.Combine(_dir, "scripted.gguf"));
        // The keys file is a kubelet Secret mount: keys.json -> ..data/keys.json, ..data -> ..<timestamp>.
        _secretDir = Path.Combine(_dir, "secret");
        var keysFile = StackFiles.KubeletCreate(_secretDir, "keys.json");
        // The gateway tells agents to beat every second (real time); its own clock is fake, so nobody goes silent and the
        // files are re-read exactly when a test advances the clock.
        _gateway = await TestGateway.StartAsync([_steady, _teamA, _metered], [], o => o with
        {
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            ApiKeysFile = keysFile,
        });
        Assert.True(File.Exists(Path.Combine(_secretDir, "..2026_11_29_09_00_00.000000001", "keys.json"))); // written through the links
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents) await agent.DisposeAsync();
        await _gateway.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private NodeRegistry Registry => _gateway.App.Services.GetRequiredService<NodeRegistry>();

    [Fact]
    public async Task A_scale_up_while_streams_are_open_drops_nothing_and_new_requests_go_to_the_new_node()
    {
        var n1 = (await FleetAsync("n1"))[0];
        n1.Hold();
        var streams = await OpenStreamsAsync(3);
        Assert.All(streams, s => Assert.Equal("n1", s.Node));
        Assert.Equal(3, await InFlightAsync("n1"));
        var entry = Registry.Find("n1");

        await using var load = Load.Start(_gateway, _steady);
        await load.PassedAsync(5);
        SwarmWriteNodes("n1", "n2"); // the stack adds the worker's credential before the worker boots
        _gateway.Advance(TimeSpan.FromSeconds(2));
        await load.PassedAsync(5);
        Assert.Null(Registry.Find("n2")); // listed, but not routable before its first heartbeat
        var n2 = await StartAgentAsync("n2");
        await UntilAsync(() => Registry.Find("n2")?.State(_gateway.Time, _gateway.Options) == NodeState.Ready);
        var joined = load.Mark();
        await load.PassedAsync(10);

        // n1 holds three streams and has one free slot; the new node has four: new requests go there.
        for (var i = 0; i < 6; i++) Assert.Equal("n2", await ServedByAsync(_steady));
        Assert.Contains(load.After(joined), r => r.Node == "n2");
        Assert.Equal(3, await InFlightAsync("n1"));
        Assert.Same(entry, Registry.Find("n1")); // same gateway, same registry entry: nothing was restarted

        await load.StopAsync();
        n1.Release();
        await FinishAllAsync(streams);
        load.AssertAllSucceeded();
        Assert.True(n2.Received >= 6);
        Assert.Equal(0, await InFlightAsync("n1"));
    }

    [Fact]
    public async Task A_scale_down_of_a_node_without_streams_drops_nothing_and_routes_nothing_more_to_it()
    {
        var agents = await FleetAsync("n1", "n2", "n3");
        foreach (var a in agents) a.Hold();
        var streams = await OpenStreamsAsync(2); // most free slots first: two different nodes, the third one idle
        var idle = agents.Single(a => streams.All(s => s.Node != a.Name));
        var busy = agents.Where(a => a != idle).Select(a => a.Name).ToArray();

        await using var load = Load.Start(_gateway, _steady);
        await load.PassedAsync(5);
        var unauthorizedBefore = await MetricAsync("fleet_gateway_heartbeats_total{outcome=\"unauthorized\"}");
        SwarmWriteNodes(busy);
        _gateway.Advance(TimeSpan.FromSeconds(2));
        var removed = load.Mark();
        var receivedAtRemoval = idle.Received;
        await load.PassedAsync(10);
        for (var i = 0; i < 6; i++) Assert.NotEqual(idle.Name, await ServedByAsync(_steady));
        // The removed agent still beats (it does not know yet); the gateway answers 401 and does not take it back.
        await UntilAsync(async () => await MetricAsync("fleet_gateway_heartbeats_total{outcome=\"unauthorized\"}") >= unauthorizedBefore + 2);
        Assert.Null(Registry.Find(idle.Name));
        using (var admin = _gateway.Admin())
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/admin/v1/nodes/{idle.Name}")).StatusCode);

        await load.StopAsync();
        Assert.DoesNotContain(load.After(removed), r => r.Node == idle.Name);
        // Requests already on their way when the file changed may still land there; none that started after.
        Assert.InRange(idle.Received - receivedAtRemoval, 0, 1);
        foreach (var a in agents) a.Release();
        await FinishAllAsync(streams);
        load.AssertAllSucceeded();
    }

    [Fact]
    public async Task A_scale_down_of_a_node_serving_streams_lets_them_finish_and_routes_nothing_new_there()
    {
        var agents = await FleetAsync("n1", "n2");
        foreach (var a in agents) a.Hold();
        var streams = await OpenStreamsAsync(4);
        Assert.Equal(2, streams.Count(s => s.Node == "n2")); // spread by free slots: two on each
        var (keep, victim) = (agents[0], agents[1]);

        await using var load = Load.Start(_gateway, _steady);
        await load.PassedAsync(5);
        SwarmWriteNodes("n1");
        _gateway.Advance(TimeSpan.FromSeconds(2));
        var removed = load.Mark();
        await load.PassedAsync(10);
        for (var i = 0; i < 6; i++) Assert.Equal("n1", await ServedByAsync(_steady));
        Assert.Null(Registry.Find("n2"));
        Assert.DoesNotContain("node=\"n2\"", await MetricsTextAsync());
        Assert.Equal(2, victim.Open); // its streams are still open, not cut

        // The revoked node's streams run to their end: every chunk and [DONE] reach the client.
        victim.Release();
        await FinishAllAsync(streams.Where(s => s.Node == "n2"));
        await UntilAsync(() => victim.Open == 0);
        await load.StopAsync();
        Assert.DoesNotContain(load.After(removed), r => r.Node == "n2");
        // Finishing there brought none of its metric series back (an in-flight gauge of -1, a requests counter from 0).
        Assert.DoesNotContain("node=\"n2\"", await MetricsTextAsync());
        Assert.Equal(2, await InFlightAsync("n1"));

        keep.Release();
        await FinishAllAsync(streams.Where(s => s.Node == "n1"));
        load.AssertAllSucceeded();
        Assert.Equal(0, await InFlightAsync("n1"));
    }

    [Fact]
    public async Task A_key_rotation_by_a_kubelet_symlink_swap_keeps_open_streams_and_every_budget()
    {
        var n1 = (await FleetAsync("n1"))[0];
        var entry = Registry.Find("n1");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await ChatAsync(_metered)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(_metered)).StatusCode); // 3 requests/min, spent
        n1.Hold();
        var streams = new List<OpenStream>
        {
            await OpenStream.StartAsync(_gateway.Client(_teamA.Secret), chat: true),
            await OpenStream.StartAsync(_gateway.Client(_teamA.Secret), chat: false),
            await OpenStream.StartAsync(_gateway.Client(_steady.Secret), chat: true),
        };

        await using var load = Load.Start(_gateway, _steady);
        await load.PassedAsync(5);
        KubeletSwapKeys(_steady, _metered, _teamB); // team-b added, team-a removed
        _gateway.Advance(TimeSpan.FromSeconds(2));
        await load.PassedAsync(5);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ChatAsync(_teamA)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ChatAsync(_teamB)).StatusCode);
        // The budget spent before the swap is still spent: the limiter was not reset (2 s refill 0.1 of a request).
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChatAsync(_metered)).StatusCode);
        Assert.Equal(3, await MetricAsync("fleet_gateway_key_requests_total{key=\"metered\",code=\"200\"}"));
        Assert.Same(entry, Registry.Find("n1"));

        await load.StopAsync();
        Assert.Equal(3, await InFlightAsync("n1")); // the three streams, open across the swap
        n1.Release();
        await FinishAllAsync(streams); // the removed key's streams too: a key is checked when a request starts
        load.AssertAllSucceeded();
        Assert.True(await MetricAsync("fleet_gateway_key_tokens_total{key=\"team-a\"}") > 0); // and they were charged
    }

    // ---- the fleet ----

    private async Task<List<RealAgent>> FleetAsync(params string[] names)
    {
        SwarmWriteNodes(names);
        _gateway.Advance(TimeSpan.FromSeconds(2));
        var agents = new List<RealAgent>();
        foreach (var name in names) agents.Add(await StartAgentAsync(name));
        await UntilAsync(() => names.All(n => Registry.Find(n)?.State(_gateway.Time, _gateway.Options) == NodeState.Ready));
        return agents;
    }

    private async Task<RealAgent> StartAgentAsync(string name)
    {
        var agent = await RealAgent.StartAsync(_dir, _model, name, Credential(name), _gateway.Address);
        _agents.Add(agent);
        return agent;
    }

    private string Credential(string name) =>
        _credentials.TryGetValue(name, out var c) ? c : _credentials[name] = $"credential-{name}-{Guid.NewGuid():N}";

    private void SwarmWriteNodes(params string[] names) =>
        StackFiles.SwarmWrite(_gateway.Options.NodesFile, NodesJson(names.Select(n => (n, Credential(n)))));

    internal static string NodesJson(IEnumerable<(string Name, string Credential)> nodes) =>
        JsonSerializer.Serialize(new { nodes = nodes.Select(n => RealAgent.NodesFileEntry(n.Name, n.Credential)) });

    private void KubeletSwapKeys(params TestKey[] keys) => StackFiles.KubeletUpdate(_secretDir, "keys.json", KeysJson(keys));

    internal static string KeysJson(IEnumerable<TestKey> keys) => JsonSerializer.Serialize(new
    {
        keys = keys.Select(k => new { name = k.Name, sha256 = Credentials.SecretHash.HexOf(k.Secret), requestsPerMinute = k.RequestsPerMinute, tokensPerMinute = k.TokensPerMinute }),
    });

    // ---- clients ----

    private async Task<List<OpenStream>> OpenStreamsAsync(int count)
    {
        var streams = new List<OpenStream>();
        for (var i = 0; i < count; i++) streams.Add(await OpenStream.StartAsync(_gateway.Client(_steady.Secret), chat: i % 2 == 0));
        return streams;
    }

    private static async Task FinishAllAsync(IEnumerable<OpenStream> streams)
    {
        foreach (var stream in streams) await stream.FinishAsync();
    }

    private async Task<HttpResponseMessage> ChatAsync(TestKey key)
    {
        using var http = _gateway.Client(key.Secret);
        var response = await http.PostAsync("/v1/chat/completions", Load.ChatBody());
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<string> ServedByAsync(TestKey key)
    {
        using var response = await ChatAsync(key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Contains("Hi there", text);
        return response.Headers.GetValues(RealAgent.NodeHeader).Single();
    }

    private async Task<int> InFlightAsync(string node)
    {
        using var admin = _gateway.Admin();
        return (await admin.GetFromJsonAsync<JsonNode>($"/admin/v1/nodes/{node}"))!["inFlight"]!.GetValue<int>();
    }

    private async Task<string> MetricsTextAsync()
    {
        using var http = _gateway.Client(null);
        return await http.GetStringAsync("/metrics");
    }

    private async Task<double> MetricAsync(string series)
    {
        var line = (await MetricsTextAsync()).Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task UntilAsync(Func<bool> condition) => await UntilAsync(() => Task.FromResult(condition()));

    private async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var beat = Registry.Changed.Next; // every accepted heartbeat (agents beat every second)
            if (await condition()) return;
            await Task.WhenAny(beat, Task.Delay(200, timeout.Token)).WaitAsync(timeout.Token); // refused beats fire nothing
        }
    }

    /// <summary>A streamed completion read up to its first event, then (after the change) to its end.</summary>
    internal sealed class OpenStream(HttpClient http, HttpResponseMessage response, StreamReader reader, bool chat, List<string> events)
    {
        public string Node { get; } = response.Headers.GetValues(RealAgent.NodeHeader).Single();

        public static async Task<OpenStream> StartAsync(HttpClient http, bool chat)
        {
            var body = chat
                ? """{"model":"scripted","stream":true,"max_tokens":8,"messages":[{"role":"user","content":"hello"}]}"""
                : """{"model":"scripted","stream":true,"max_tokens":20,"temperature":0,"prompt":"one two three"}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, chat ? "/v1/chat/completions" : "/v1/completions")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var events = new List<string>();
            while (events.Count == 0)
            {
                var line = await reader.ReadLineAsync() ?? throw new Xunit.Sdk.XunitException("the stream ended before its first event");
                if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(line["data: ".Length..]);
            }
            return new OpenStream(http, response, reader, chat, events);
        }

        /// <summary>Reads the stream to its end and checks it is whole: every chunk of the scripted answer, the finish, [DONE].</summary>
        public async Task FinishAsync()
        {
            using (http)
            using (response)
            using (reader)
            {
                while (await reader.ReadLineAsync() is { } line)
                    if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(line["data: ".Length..]);
            }
            Assert.Equal("[DONE]", events[^1]);
            var text = new StringBuilder();
            var finishes = new List<string>();
            foreach (var e in events.SkipLast(1))
            {
                var choices = JsonNode.Parse(e)!["choices"]!.AsArray();
                if (choices.Count == 0) continue;
                text.Append(chat ? choices[0]!["delta"]?["content"]?.GetValue<string>() : choices[0]!["text"]?.GetValue<string>());
                if (choices[0]!["finish_reason"]?.GetValue<string>() is { } finish) finishes.Add(finish);
            }
            Assert.Equal(chat ? "Hi there" : CountingText, text.ToString());
            Assert.Equal([chat ? "stop" : "length"], finishes);
        }
    }

    /// <summary>One client sending short chat completions back to back, recording each one's start, status and node.</summary>
    internal sealed class Load : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly List<Result> _results = [];
        private readonly Pulse _done = new();
        private Task _loop = Task.CompletedTask;

        public sealed record Result(long Started, HttpStatusCode Status, string? Node, string Body);

        public static StringContent ChatBody() =>
            new("""{"model":"scripted","max_tokens":8,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");

        public static Load Start(TestGateway gateway, TestKey key)
        {
            var load = new Load();
            load._loop = Task.Run(() => load.RunAsync(gateway.Client(key.Secret)));
            return load;
        }

        private async Task RunAsync(HttpClient http)
        {
            using (http)
            {
                while (!_stop.IsCancellationRequested)
                {
                    var started = Stopwatch.GetTimestamp();
                    Result result;
                    try
                    {
                        using var response = await http.PostAsync("/v1/chat/completions", ChatBody());
                        var node = response.Headers.TryGetValues(RealAgent.NodeHeader, out var v) ? v.Single() : null;
                        result = new Result(started, response.StatusCode, node, await response.Content.ReadAsStringAsync());
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        result = new Result(started, 0, null, e.ToString());
                    }
                    lock (_results) _results.Add(result);
                    _done.Fire();
                }
            }
        }

        /// <summary>A point in time: requests that start after it are those <see cref="After"/> returns.</summary>
        public long Mark() => Stopwatch.GetTimestamp();

        public IReadOnlyList<Result> After(long mark)
        {
            lock (_results) return _results.Where(r => r.Started > mark).ToList();
        }

        /// <summary>Waits until <paramref name="count"/> more requests have finished.</summary>
        public async Task PassedAsync(int count)
        {
            int Count() { lock (_results) return _results.Count; }
            var target = Count() + count;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (true)
            {
                var next = _done.Next;
                if (Count() >= target) return;
                await next.WaitAsync(timeout.Token);
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _loop;
        }

        public void AssertAllSucceeded()
        {
            lock (_results)
            {
                Assert.NotEmpty(_results);
                foreach (var r in _results)
                {
                    Assert.True(r.Status == HttpStatusCode.OK, $"a request failed during the change: {(int)r.Status} {r.Body}");
                    Assert.Contains("Hi there", r.Body);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }
    }
}
