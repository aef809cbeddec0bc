using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// logprobs / top_logprobs in the chat and legacy shapes, whole and streamed. They report the model's own distribution
/// (log-softmax of the raw logits, as llama-server does by default), not the sampler's.
/// </summary>
public sealed class LogprobsTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HttpClient Http => fixture.Agent.Http;

    [Fact]
    public async Task Chat_logprobs_give_each_token_with_its_bytes_and_the_best_alternatives()
    {
        var root = await AgentCallsJson.PostOkAsync(Http, "v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "hello" } },
            temperature = 0,
            logprobs = true,
            top_logprobs = 3,
        });
        var choice = root.GetProperty("choices")[0];
        Assert.Equal("Hi there", choice.GetProperty("message").GetProperty("content").GetString());
        var content = choice.GetProperty("logprobs").GetProperty("content").EnumerateArray().ToList();
        Assert.Equal(["Hi", " there"], content.Select(t => t.GetProperty("token").GetString()));
        Assert.Equal("Hi"u8.ToArray().Select(b => (int)b), content[0].GetProperty("bytes").EnumerateArray().Select(b => b.GetInt32()));
        foreach (var token in content)
        {
            var top = token.GetProperty("top_logprobs").EnumerateArray().ToList();
            Assert.Equal(3, top.Count);
            // greedy: the chosen token is the likeliest, and its log-probability is the top alternative's
            Assert.Equal(token.GetProperty("token").GetString(), top[0].GetProperty("token").GetString());
            Assert.Equal(token.GetProperty("logprob").GetSingle(), top[0].GetProperty("logprob").GetSingle());
            Assert.True(top[0].GetProperty("logprob").GetSingle() >= top[1].GetProperty("logprob").GetSingle());
            Assert.InRange(top.Sum(t => Math.Exp(t.GetProperty("logprob").GetSingle())), 0.0, 1.0001);
            Assert.True(token.GetProperty("logprob").GetSingle() is < 0 and > -5, "the scripted successor is clearly the likeliest");
        }
    }

    [Fact]
    public async Task Chat_without_logprobs_sends_none()
    {
        var root = await AgentCallsJson.PostOkAsync(Http, "v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "hello" } }, temperature = 0 });
        Assert.False(root.GetProperty("choices")[0].TryGetProperty("logprobs", out _));
    }

    [Fact]
    public async Task Logprobs_are_the_models_distribution_not_the_samplers()
    {
        // logit_bias forces " nine"; its reported log-probability is still the model's, far below the likeliest " four".
        var nine = ScriptedModel.TokenId("\u2581nine");
        var root = await AgentCallsJson.PostOkAsync(Http, "v1/completions", new Dictionary<string, object>
        {
            ["prompt"] = "one two three",
            ["max_tokens"] = 1,
            ["temperature"] = 0,
            ["logprobs"] = 1,
            ["logit_bias"] = new Dictionary<string, int> { [nine.ToString()] = 100 },
        });
        var logprobs = root.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(" nine", logprobs.GetProperty("tokens")[0].GetString());
        var top = logprobs.GetProperty("top_logprobs")[0].EnumerateObject().Single();
        Assert.Equal(" four", top.Name);
        Assert.True(logprobs.GetProperty("token_logprobs")[0].GetSingle() < top.Value.GetSingle() - 3,
            logprobs.GetRawText());
    }

    [Fact]
    public async Task Legacy_logprobs_list_tokens_logprobs_alternatives_and_offsets_after_the_prompt()
    {
        var root = await AgentCallsJson.PostOkAsync(Http, "v1/completions",
            new { prompt = "one two three", max_tokens = 3, temperature = 0, logprobs = 2 });
        var choice = root.GetProperty("choices")[0];
        Assert.Equal(" four five six", choice.GetProperty("text").GetString());
        var logprobs = choice.GetProperty("logprobs");
        Assert.Equal([" four", " five", " six"], logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal([13, 18, 23], logprobs.GetProperty("text_offset").EnumerateArray().Select(t => t.GetInt32()));
        var tops = logprobs.GetProperty("top_logprobs").EnumerateArray().ToList();
        Assert.All(tops, t => Assert.Equal(2, t.EnumerateObject().Count()));
        Assert.Equal(" five", tops[1].EnumerateObject().First().Name);
        Assert.All(logprobs.GetProperty("token_logprobs").EnumerateArray(), l => Assert.True(l.GetSingle() < 0));
    }

    [Fact]
    public async Task Streamed_logprobs_cover_the_streamed_text_in_both_shapes()
    {
        using var chat = await Http.PostAsJsonAsync("v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "hello" } },
            temperature = 0,
            stream = true,
            logprobs = true,
            top_logprobs = 1,
        });
        var (chatEvents, chatDone) = await Sse.ReadAllAsync(chat);
        Assert.True(chatDone);
        var tokens = chatEvents.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Where(c => c.TryGetProperty("logprobs", out var l) && l.ValueKind == JsonValueKind.Object)
            .SelectMany(c => c.GetProperty("logprobs").GetProperty("content").EnumerateArray())
            .Select(t => t.GetProperty("token").GetString());
        Assert.Equal("Hi there", string.Concat(tokens));

        using var text = await Http.PostAsJsonAsync("v1/completions",
            new { prompt = "one two three", max_tokens = 4, temperature = 0, stream = true, logprobs = 0 });
        var (events, done) = await Sse.ReadAllAsync(text);
        Assert.True(done);
        var streamed = new StringBuilder();
        var offsets = new List<int>();
        foreach (var c in events.SelectMany(e => e.GetProperty("choices").EnumerateArray()))
        {
            if (!c.TryGetProperty("logprobs", out var l)) continue;
            streamed.AppendJoin("", l.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
            offsets.AddRange(l.GetProperty("text_offset").EnumerateArray().Select(o => o.GetInt32()));
            Assert.All(l.GetProperty("top_logprobs").EnumerateArray(), t => Assert.Empty(t.EnumerateObject()));
        }

        Assert.Equal(" four five six seven", streamed.ToString());
        Assert.Equal([13, 18, 23, 27], offsets);
    }

    [Fact]
    public async Task A_stop_sequence_keeps_the_logprobs_of_the_tokens_before_it()
    {
        var root = await AgentCallsJson.PostOkAsync(Http, "v1/completions",
            new { prompt = "one two three", max_tokens = 10, temperature = 0, logprobs = 0, stop = "six" });
        var choice = root.GetProperty("choices")[0];
        Assert.Equal(" four five ", choice.GetProperty("text").GetString());
        // " six" begins before the stop sequence (its space was sent), so it is reported; nothing after it is
        Assert.Equal([" four", " five", " six"], choice.GetProperty("logprobs").GetProperty("tokens").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory]
    [InlineData("v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_logprobs\":2}", "top_logprobs")]
    [InlineData("v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"logprobs\":true,\"top_logprobs\":21}", "top_logprobs")]
    [InlineData("v1/completions", "{\"prompt\":\"x\",\"logprobs\":21}", "logprobs")]
    [InlineData("v1/completions", "{\"prompt\":\"x\",\"logprobs\":-1}", "logprobs")]
    public async Task Out_of_range_logprob_fields_are_400_naming_them(string path, string body, string param)
    {
        var error = await AgentCallsJson.PostBadAsync(Http, path, body);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
    }
}
