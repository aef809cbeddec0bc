using System.ClientModel;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Gateway.Registry;
using Fleet.Gateway.Tests.Support;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace Fleet.Gateway.Tests.EndToEnd;

/// <summary>
/// One gateway in front of two real agents (agent/, in-process) on two different GGUF files, each the only node of
/// its own pool and model: the official OpenAI client gets each model only from its pool's node.
/// </summary>
public sealed class TwoModelsEndToEndTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-gateway-two-models-").FullName;
    private readonly TestKey _key = new("team-a");
    private TestGateway _gateway = null!;
    private RealAgent _tiny = null!;
    private RealAgent _small = null!;
    private string _tinyFile = null!;
    private string _smallFile = null!;

    public async Task InitializeAsync()
    {
        _tinyFile = new ScriptedModel().WriteTo(Path.Combine(_dir, "tiny.gguf"));
        _smallFile = new ScriptedModel(Seed: 7).WriteTo(Path.Combine(_dir, "small.gguf"));
        string tinyCredential = $"credential-c1-{Guid.NewGuid():N}", smallCredential = $"credential-g1-{Guid.NewGuid():N}";
        // Agents beat every second (real time); the gateway's clock is fake, so nobody goes silent.
        _gateway = await TestGateway.StartAsync([_key], [], o => o with { HeartbeatInterval = TimeSpan.FromSeconds(1) });
        File.WriteAllText(_gateway.Options.NodesFile, JsonSerializer.Serialize(new
        {
            nodes = new[] { RealAgent.NodesFileEntry("c1", tinyCredential, "cheap"), RealAgent.NodesFileEntry("g1", smallCredential, "large") },
        }));
        _gateway.Advance(TimeSpan.FromSeconds(2)); // reload the nodes file
        _tiny = await RealAgent.StartAsync(_dir, _tinyFile, "c1", tinyCredential, _gateway.Address, slots: 2, modelId: "tiny", pool: "cheap");
        _small = await RealAgent.StartAsync(_dir, _smallFile, "g1", smallCredential, _gateway.Address, slots: 2, modelId: "small", pool: "large");

        var registry = _gateway.App.Services.GetRequiredService<NodeRegistry>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var beat = registry.Changed.Next; // fires on every accepted heartbeat
            if (registry.Nodes.Count(n => n.State(_gateway.Time, _gateway.Options) == NodeState.Ready) == 2) break;
            await beat.WaitAsync(timeout.Token);
        }
    }

    [Fact]
    public async Task The_official_client_gets_each_model_only_from_the_node_of_its_pool()
    {
        Assert.NotEqual(Sha256(_tinyFile), Sha256(_smallFile));
        var options = new OpenAIClientOptions { Endpoint = new Uri(_gateway.Address, "/v1") };
        var credential = new ApiKeyCredential(_key.Secret);

        var listed = (await new OpenAIModelClient(credential, options).GetModelsAsync()).Value.Select(m => m.Id).Order();
        Assert.Equal(["small", "tiny"], listed);

        foreach (var model in new[] { "tiny", "small", "tiny", "small", "tiny" })
        {
            var chat = new ChatClient(model, credential, options);
            ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 8 });
            Assert.Equal(model, completion.Model);
            Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
        }

        var streamed = 0;
        await foreach (var update in new ChatClient("small", credential, options).CompleteChatStreamingAsync(
                           [new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 8 }))
            streamed += update.ContentUpdate.Count;
        Assert.True(streamed > 0, "the streamed answer from the small model carried text");

        Assert.Equal((3, 3), (_tiny.Received, _small.Received));
    }

    [Fact]
    public async Task A_model_no_pool_serves_is_404_in_the_OpenAI_shape_and_reaches_no_node()
    {
        var chat = new ChatClient("large", new ApiKeyCredential(_key.Secret), new OpenAIClientOptions { Endpoint = new Uri(_gateway.Address, "/v1") });
        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hello")]));
        Assert.Equal((int)HttpStatusCode.NotFound, error.Status);
        Assert.Contains("large", error.Message);
        Assert.Equal((0, 0), (_tiny.Received, _small.Received));
    }

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    public async Task DisposeAsync()
    {
        await _tiny.DisposeAsync();
        await _small.DisposeAsync();
        await _gateway.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
