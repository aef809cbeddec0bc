using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// A finished request's KV stays with its slot's sequence: a later prompt sharing its beginning decodes only the rest
/// (<c>usage.prompt_tokens_details.cached_tokens</c>), and the answer is the same as without the cache.
/// </summary>
public sealed class PromptCacheTests
{
    [Fact]
    public async Task A_repeated_prompt_reuses_all_but_its_last_token_and_answers_the_same()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env());
        var body = new { prompt = "one two three four five six", max_tokens = 4, temperature = 0 };
        var first = await AgentCallsJson.PostOkAsync(agent.Http, "v1/completions", body);
        var second = await AgentCallsJson.PostOkAsync(agent.Http, "v1/completions", body);
        Assert.Equal(0, Cached(first));
        Assert.Equal(7, first.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(6, Cached(second)); // the last prompt token is decoded again for its logits
        Assert.Equal(" seven eight nine ten", second.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal(Text(first), Text(second));
        Assert.Equal(6, await MetricsText.ReadAsync(agent.Http, "fleet_agent_prompt_cached_tokens_total"));
    }

    [Fact]
    public async Task A_shorter_prompt_on_a_longer_cached_one_drops_the_rest_of_its_kv()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_PARALLEL_SLOTS", "1")));
        await AgentCallsJson.PostOkAsync(agent.Http, "v1/completions", new { prompt = "one two three nine nine nine", max_tokens = 8, temperature = 0 });
        var reply = await AgentCallsJson.PostOkAsync(agent.Http, "v1/completions", new { prompt = "one two three", max_tokens = 3, temperature = 0 });
        Assert.Equal(3, Cached(reply)); // <s> one two; three is decoded again after the cached nines are removed
        Assert.Equal(" four five six", Text(reply));
    }

    [Fact]
    public async Task A_chat_follow_up_reuses_the_earlier_turns()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env());
        var first = await AgentCallsJson.PostOkAsync(agent.Http, "v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "hello" } }, temperature = 0 });
        var follow = await AgentCallsJson.PostOkAsync(agent.Http, "v1/chat/completions", new
        {
            messages = new[]
            {
                new { role = "user", content = "hello" }, new { role = "assistant", content = "Hi there" }, new { role = "user", content = "again" },
            },
            temperature = 0,
        });
        Assert.True(Cached(follow) >= first.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() - 1, follow.GetRawText());
        Assert.Equal("Hi there", follow.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    private static int Cached(System.Text.Json.JsonElement reply) =>
        reply.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32();

    private static string? Text(System.Text.Json.JsonElement reply) => reply.GetProperty("choices")[0].GetProperty("text").GetString();
}
