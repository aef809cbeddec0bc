using System.ClientModel;
using System.Text;
using Fleet.Agent;
using Fleet.Agent.Tests.Gguf;
using Fleet.Gateway.Registry;
using Fleet.Gateway.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Fleet.Gateway.Tests.EndToEnd;

/// <summary>
/// Two real Fleet agents (agent/, in-process, serving the scripted test model) heartbeating into a real gateway:
/// the heartbeat contract, routing, streaming and drain as both sides implement them.
/// </summary>
public sealed class RealAgentTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-gateway-e2e-").FullName;
    private readonly List<WebApplication> _agents = [];
    private readonly TestKey _key = new("team-a");
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        var model = new ScriptedModel().WriteTo(Path.Combine(_dir, "scripted.gguf"));
        var nodes = new[] { "n1", "n2" }.Select(n => (Name: n, Credential: $"credential-{n}-{Guid.NewGuid():N}")).ToList();
        // The gateway tells agents to beat every second (real time); its own clock is fake, so nobody goes silent.
        _gateway = await TestGateway.StartAsync([_key], [], o => o with { HeartbeatInterval = TimeSpan.FromSeconds(1) });
        File.WriteAllText(_gateway.Options.NodesFile, $$"""
            {"nodes":[{{string.Join(",", nodes.Select(n => $$"""{"node":"{{n.Name}}","pool":"cpu","sha256":"{{Credentials.SecretHash.HexOf(n.Credential)}}"}"""))}}]}
            """);
        _gateway.Advance(TimeSpan.FromSeconds(2)); // reload the nodes file

        foreach (var (name, credential) in nodes)
        {
            var credentialFile = Path.Combine(_dir, name + ".token");
            File.WriteAllText(credentialFile, credential);
            var env = new Dictionary<string, string>
            {
                ["FLEET_MODEL_PATH"] = model,
                ["FLEET_MODEL_ID"] = "scripted",
                ["FLEET_CONTEXT_SIZE"] = "1024",
                ["FLEET_PARALLEL_SLOTS"] = "2",
                ["FLEET_THREADS"] = "1",
                ["FLEET_NODE_NAME"] = name,
                ["FLEET_POOL"] = "cpu",
                ["FLEET_NODE_CREDENTIAL_FILE"] = credentialFile,
                ["FLEET_GATEWAY_URL"] = _gateway.Address.ToString(),
            };
            var agent = AgentApp.Build(["--urls", "http://127.0.0.1:0"], k => env.GetValueOrDefault(k), s => s.AddLogging(l => l.ClearProviders()));
            await agent.StartAsync();
            _agents.Add(agent);
        }
        await UntilAsync(() => Nodes.Count(n => n.State(_gateway.Time, _gateway.Options) == NodeState.Ready) == 2);
    }

    private NodeRegistry Registry => _gateway.App.Services.GetRequiredService<NodeRegistry>();
    private IReadOnlyList<NodeEntry> Nodes => Registry.Nodes;

    [Fact]
    public async Task Real_agents_register_and_serve_the_OpenAI_client_through_the_gateway()
    {
        var chat = new ChatClient("scripted", new ApiKeyCredential(_key.Secret), new OpenAIClientOptions { Endpoint = new Uri(_gateway.Address, "/v1") });

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 8 }))
            foreach (var part in update.ContentUpdate) streamed.Append(part.Text);

        Assert.Contains("Hi there", completion.Content[0].Text);
        Assert.Contains("Hi there", streamed.ToString());
        var n1 = Registry.Find("n1")!.Last!;
        Assert.Equal(("cpu", "scripted", true, 2), (n1.Pool, n1.Model!.Id, n1.Model.Loaded, n1.Slots!.Total));
        Assert.StartsWith("http://127.0.0.1:", n1.Endpoint);
    }

    [Fact]
    public async Task A_stream_without_include_usage_is_charged_the_agents_prompt_and_completion_tokens()
    {
        var prompt = string.Join(" ", Enumerable.Repeat("one two three four five", 40));
        var body = $$"""{"model":"scripted","stream":true,"max_tokens":8,"messages":[{"role":"user","content":"{{prompt}}"}]}""";
        using var http = _gateway.Client(_key.Secret);

        var before = await TokensChargedAsync();
        var plain = await PostAsync(http, body);
        var charged = await TokensChargedAsync() - before;
        var asked = await PostAsync(http, body.Replace("\"stream\":true", "\"stream\":true,\"stream_options\":{\"include_usage\":true}"));

        Assert.Contains("Hi", plain);
        Assert.DoesNotContain("\"usage\"", plain); // the client did not ask: the gateway's usage chunk is not passed on
        var usage = System.Text.Json.Nodes.JsonNode.Parse(asked.Split('\n').Single(l => l.Contains("\"usage\":{"))["data:".Length..])!["usage"]!;
        Assert.True(usage["prompt_tokens"]!.GetValue<long>() > 100, usage.ToJsonString());
        Assert.Equal(usage["total_tokens"]!.GetValue<long>(), charged);
    }

    private static async Task<string> PostAsync(HttpClient http, string json)
    {
        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return text;
    }

    private async Task<long> TokensChargedAsync()
    {
        using var http = _gateway.Client(null);
        var line = (await http.GetStringAsync("/metrics")).Split('\n')
            .SingleOrDefault(l => l.StartsWith($"fleet_gateway_key_tokens_total{{key=\"{_key.Name}\"}} ", StringComparison.Ordinal));
        return line is null ? 0 : (long)double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Drain_reaches_the_real_agent_in_its_next_heartbeat_reply()
    {
        Registry.SetDrain("n1", true);

        // The agent obeys drain: true and reports state "draining" in a following beat.
        await UntilAsync(() => Registry.Find("n1")!.Last!.State == "draining");
        Assert.Equal("ready", Registry.Find("n2")!.Last!.State);
        using var admin = _gateway.Admin();
        var status = await admin.GetStringAsync("/admin/v1/nodes/n1/drain");
        Assert.Equal("""{"node":"n1","state":"draining","drainRequested":true,"drained":true,"remaining":0,"inFlight":0,"agentBusy":0,"agentQueueDepth":0}""", status);
    }

    private async Task UntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var beat = Registry.Changed.Next; // fires on every accepted heartbeat
            if (condition()) return;
            await beat.WaitAsync(timeout.Token);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.StopAsync();
            await agent.DisposeAsync();
        }
        await _gateway.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
