using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// n &gt; 1: several choices from one prompt, forked from its decoded KV. Choice i samples with seed + i, so with a seed
/// every choice equals the n = 1 answer for that seed: the forks see exactly the prompt the first choice saw.
/// </summary>
public sealed class ChoicesTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HttpClient Http => fixture.Agent.Http;

    private static object Body(int n, int seed, bool stream = false) => new
    {
        prompt = "one two three",
        max_tokens = 12,
        temperature = 1,
        top_k = 0,
        min_p = 0,
        seed,
        n,
        stream,
        stream_options = stream ? new { include_usage = true } : null,
    };

    [Fact]
    public async Task Each_choice_is_the_single_answer_of_its_seed_and_the_prompt_counts_once()
    {
        var one7 = await TextsAsync(Body(1, 7));
        var one8 = await TextsAsync(Body(1, 8));
        var root = await AgentCallsJson.PostOkAsync(Http, "v1/completions", Body(2, 7));
        var choices = root.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(one7[0], choices[0].GetProperty("text").GetString());
        Assert.Equal(one8[0], choices[1].GetProperty("text").GetString());
        Assert.NotEqual(one7[0], one8[0]); // seeds 7 and 8 sample differently: the choices are not copies
        var usage = root.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(24, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(28, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Streamed_chunks_carry_their_choice_index_and_add_up_to_the_same_texts()
    {
        var whole = await TextsAsync(Body(3, 11));
        using var response = await Http.PostAsJsonAsync("v1/completions", Body(3, 11, stream: true));
        var (events, done) = await Sse.ReadAllAsync(response);
        Assert.True(done);
        var texts = new[] { new StringBuilder(), new StringBuilder(), new StringBuilder() };
        var finishes = new string?[3];
        foreach (var c in events.SelectMany(e => e.GetProperty("choices").EnumerateArray()))
        {
            var index = c.GetProperty("index").GetInt32();
            texts[index].Append(c.GetProperty("text").GetString());
            if (c.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String) finishes[index] = f.GetString();
        }

        Assert.Equal(whole, texts.Select(t => t.ToString()));
        Assert.All(finishes, f => Assert.Equal("length", f));
        var usage = events[^1].GetProperty("usage");
        Assert.Equal(0, events[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(36, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_choices_each_answer()
    {
        var root = await AgentCallsJson.PostOkAsync(Http, "v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "hello" } }, temperature = 0, n = 2 });
        var choices = root.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(2, choices.Count);
        Assert.All(choices, c => Assert.Equal("Hi there", c.GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(6, root.GetProperty("usage").GetProperty("completion_tokens").GetInt32()); // 2 × ("Hi", " there", EOG)
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public async Task More_choices_than_slots_or_none_is_400_naming_n(int n)
    {
        var error = await AgentCallsJson.PostBadAsync(Http, "v1/completions", $"{{\"prompt\":\"x\",\"n\":{n}}}");
        Assert.Equal("n", error.GetProperty("param").GetString());
        Assert.Contains("FLEET_PARALLEL_SLOTS", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Requests_needing_every_slot_wait_their_turn_and_all_answer()
    {
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_PARALLEL_SLOTS", "2")));
        var replies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => AgentCallsJson.PostOkAsync(agent.Http, "v1/completions",
            new { prompt = "one two three", max_tokens = 6, temperature = 0, n = 2 })));
        Assert.All(replies.SelectMany(r => r.GetProperty("choices").EnumerateArray()),
            c => Assert.Equal(" four five six seven eight nine", c.GetProperty("text").GetString()));
        Assert.Equal(0, agent.Engine.Admission.InSystem);
    }

    private async Task<List<string>> TextsAsync(object body)
    {
        var root = await AgentCallsJson.PostOkAsync(Http, "v1/completions", body);
        return [.. root.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("text").GetString()!)];
    }
}
