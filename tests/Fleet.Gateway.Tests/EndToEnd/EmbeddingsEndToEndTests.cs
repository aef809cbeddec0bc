using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Agent.Tests.Gguf;
using Fleet.Gateway.Registry;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests.EndToEnd;

/// <summary>
/// <c>POST /v1/embeddings</c> through the gateway to a real agent (agent/, in-process): on the scripted model declaring
/// mean pooling it returns unit vectors and the prompt tokens are charged; on the chat model the agent's own 400
/// <c>model_not_supported</c> comes through unchanged.
/// </summary>
public sealed class EmbeddingsEndToEndTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-gateway-embed-").FullName;
    private readonly TestKey _key = new("team-a");
    private TestGateway? _gateway;
    private RealAgent? _agent;

    [Fact]
    public async Task An_embedding_model_answers_with_unit_vectors_and_its_prompt_tokens_are_charged()
    {
        await StartAsync(new ScriptedModel { Pooling = 1 });

        var response = await EmbedAsync();

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var json = JsonNode.Parse(text)!;
        var data = json["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        foreach (var item in data)
        {
            var vector = item!["embedding"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
            Assert.InRange(Math.Sqrt(vector.Sum(v => v * v)), 0.999, 1.001);
        }
        var promptTokens = json["usage"]!["prompt_tokens"]!.GetValue<long>();
        Assert.True(promptTokens > 0);
        using var http = _gateway!.Client(null);
        Assert.Contains($"fleet_gateway_key_tokens_total{{key=\"team-a\"}} {promptTokens}", await http.GetStringAsync("/metrics"));
        Assert.Equal(1, _agent!.Received);
    }

    [Fact]
    public async Task A_chat_model_answers_400_model_not_supported_through_the_gateway()
    {
        await StartAsync(new ScriptedModel());

        var response = await EmbedAsync();

        await AuthTests.AssertErrorAsync(response, HttpStatusCode.BadRequest, "model_not_supported");
        Assert.Equal(1, _agent!.Received);
    }

    private async Task<HttpResponseMessage> EmbedAsync()
    {
        using var http = _gateway!.Client(_key.Secret);
        var response = await http.PostAsync("/v1/embeddings",
            new StringContent("""{"model":"scripted","input":["hello","world"]}""", Encoding.UTF8, "application/json"));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task StartAsync(ScriptedModel model)
    {
        var path = model.WriteTo(Path.Combine(_dir, "model.gguf"));
        var credential = $"credential-n1-{Guid.NewGuid():N}";
        // Agents beat every second (real time); the gateway's clock is fake, so nobody goes silent.
        _gateway = await TestGateway.StartAsync([_key], [], o => o with { HeartbeatInterval = TimeSpan.FromSeconds(1) });
        File.WriteAllText(_gateway.Options.NodesFile, JsonSerializer.Serialize(new { nodes = new[] { RealAgent.NodesFileEntry("n1", credential) } }));
        _gateway.Advance(TimeSpan.FromSeconds(2)); // reload the nodes file
        _agent = await RealAgent.StartAsync(_dir, path, "n1", credential, _gateway.Address);
        var registry = _gateway.App.Services.GetRequiredService<NodeRegistry>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var beat = registry.Changed.Next; // fires on every accepted heartbeat
            if (registry.Find("n1")?.State(_gateway.Time, _gateway.Options) == NodeState.Ready) return;
            await beat.WaitAsync(timeout.Token);
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_agent is not null) await _agent.DisposeAsync();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}
