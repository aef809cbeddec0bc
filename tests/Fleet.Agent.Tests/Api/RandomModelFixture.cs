using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// One agent on the random-weight BPE model (ChatML template, so Hermes tool calls) shared by a test class: sampled
/// freely its text is noise, so only a grammar can make an answer a valid tool call.
/// </summary>
public sealed class RandomModelFixture : IAsyncLifetime
{
    public AgentHost Agent { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", new BpeModel().WriteTo(TestModels.NewPath("bpe-random.gguf"))),
            ("FLEET_CONTEXT_SIZE", "16384"))); // byte-level vocabulary: two tools in the prompt take ~900 tokens

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}
