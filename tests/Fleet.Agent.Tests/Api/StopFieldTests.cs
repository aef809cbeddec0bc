using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>stop takes up to 64 sequences (OpenAI allows 4, llama-server any number): every one of them is matched.</summary>
public sealed class StopFieldTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    [Fact]
    public async Task The_last_of_many_stop_sequences_still_stops()
    {
        var stops = Enumerable.Range(0, 63).Select(i => $"never{i}").Append("seven").ToArray();
        var root = await AgentCallsJson.PostOkAsync(fixture.Agent.Http, "v1/completions",
            new { prompt = "one two three", max_tokens = 20, temperature = 0, stop = stops });
        var choice = root.GetProperty("choices")[0];
        Assert.Equal(" four five six ", choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task More_than_64_stop_sequences_is_400_naming_stop_and_the_bound()
    {
        var stops = string.Join(",", Enumerable.Range(0, 65).Select(i => $"\"s{i}\""));
        var error = await AgentCallsJson.PostBadAsync(fixture.Agent.Http, "v1/completions", $"{{\"prompt\":\"x\",\"stop\":[{stops}]}}");
        Assert.Equal("stop", error.GetProperty("param").GetString());
        Assert.Contains("at most 64", error.GetProperty("message").GetString());
    }
}
