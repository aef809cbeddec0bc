namespace Fleet.Agent.Tests.Support;

/// <summary>One agent on the scripted model (4 slots) shared by a test class.</summary>
public sealed class AgentFixture : IAsyncLifetime
{
    public AgentHost Agent { get; private set; } = null!;

    public async Task InitializeAsync() => Agent = await AgentHost.StartAsync(AgentHost.Env());

    public async Task DisposeAsync() => await Agent.DisposeAsync();
}
