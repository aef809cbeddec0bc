using Fleet.Agent.Hosting;
using Fleet.Agent.Inference;
using Fleet.Agent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Fleet.Agent.Tests.Startup;

/// <summary>A broken GGUF stops the agent with llama.cpp's own reason, not just "failed to load".</summary>
public sealed class ModelLoadFailureTests
{
    [Fact]
    public async Task Corrupt_magic_fails_start_up_with_the_native_reason()
    {
        var bytes = await File.ReadAllBytesAsync(TestModels.Scripted);
        "XXXX"u8.CopyTo(bytes);
        var path = TestModels.NewPath("bad-magic.gguf");
        await File.WriteAllBytesAsync(path, bytes);

        var reason = await StartExpectingFailureAsync(path);
        Assert.Contains("invalid magic", reason);
        Assert.Contains(path, reason);
    }

    [Fact]
    public async Task Truncated_file_fails_start_up_with_the_native_reason()
    {
        var bytes = await File.ReadAllBytesAsync(TestModels.Scripted);
        var path = TestModels.NewPath("truncated.gguf");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        var reason = await StartExpectingFailureAsync(path);
        Assert.Contains("not within the file bounds", reason);
    }

    private static async Task<string> StartExpectingFailureAsync(string model)
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", model)));
        Assert.Equal(EngineState.Failed, agent.Engine.State);
        var failure = agent.App.Services.GetRequiredService<StartupFailure>();
        Assert.Equal(ExitCodes.ModelLoadFailed, failure.ExitCode);
        Assert.True(agent.App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested,
            "the agent must stop when its model cannot load");
        Assert.Contains(failure.Reason!, agent.Logs.All);
        return failure.Reason!;
    }
}
