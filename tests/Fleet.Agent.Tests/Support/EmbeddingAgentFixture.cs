using Fleet.Agent.Tests.Gguf;

namespace Fleet.Agent.Tests.Support;

/// <summary>One agent on the scripted model declaring mean pooling (an embedding model), shared by a test class.</summary>
public sealed class EmbeddingAgentFixture : IAsyncLifetime
{
    public AgentHost Agent { get; private set; } = null!;

    public async Task InitializeAsync() => Agent = await AgentHost.StartAsync(AgentHost.Env(
        ("FLEET_MODEL_PATH", new ScriptedModel { Pooling = 1 }.WriteTo(TestModels.NewPath("scripted-embed.gguf")))));

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}
