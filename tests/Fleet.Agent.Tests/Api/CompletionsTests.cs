using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

public sealed class CompletionsTests : IAsyncLifetime
{
    private AgentHost _agent = null!;

    public async Task InitializeAsync() => _agent = await AgentHost.StartAsync(AgentHost.Env());

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Completion_continues_the_scripted_sequence_with_usage()
    {
        var response = await _agent.Http.PostAsJsonAsync("v1/completions",
            new { prompt = "one two three", max_tokens = 5, temperature = 0 });
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        using var doc = JsonDocument.Parse(json);
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal(" four five six seven eight", choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var usage = doc.RootElement.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("prompt_tokens").GetInt32()); // <s> ▁one ▁two ▁three
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(9, usage.GetProperty("total_tokens").GetInt32());
    }
}
