using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// <c>prompt</c> as an array on /v1/completions: one choice per prompt (× n), indexed prompt by prompt then by choice
/// (OpenAI's and llama-server's order), usage summed over the prompts; token-id prompts are taken as they are.
/// </summary>
public sealed class ArrayPromptTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HttpClient Http => fixture.Agent.Http;

    [Fact]
    public async Task Each_prompt_gets_its_choices_in_order_and_usage_adds_up()
    {
        var counting = await AgentCallsJson.PostOkAsync(Http, "v1/completions", new { prompt = "one two three", max_tokens = 3, temperature = 0 });
        var hello = await AgentCallsJson.PostOkAsync(Http, "v1/completions", new { prompt = "hello", max_tokens = 3, temperature = 0 });
        var both = await AgentCallsJson.PostOkAsync(Http, "v1/completions",
            new { prompt = new[] { "one two three", "hello" }, max_tokens = 3, temperature = 0, n = 2 });

        var choices = both.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal([" four five six", " four five six", " world", " world"], choices.Select(c => c.GetProperty("text").GetString()));
        Assert.Equal(["length", "length", "stop", "stop"], choices.Select(c => c.GetProperty("finish_reason").GetString()));
        int Usage(JsonElement r, string key) => r.GetProperty("usage").GetProperty(key).GetInt32();
        Assert.Equal(Usage(counting, "prompt_tokens") + Usage(hello, "prompt_tokens"), Usage(both, "prompt_tokens"));
        Assert.Equal(2 * (Usage(counting, "completion_tokens") + Usage(hello, "completion_tokens")), Usage(both, "completion_tokens"));
        Assert.Equal(Usage(both, "prompt_tokens") + Usage(both, "completion_tokens"), Usage(both, "total_tokens"));
    }

    [Fact]
    public async Task Token_id_prompts_answer_as_their_text_does()
    {
        var ids = (await AgentCallsJson.PostOkAsync(Http, "tokenize", new { content = "one two three", add_special = true }))
            .GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        var one = await AgentCallsJson.PostOkAsync(Http, "v1/completions", new { prompt = ids, max_tokens = 2, temperature = 0 });
        Assert.Equal(" four five", one.GetProperty("choices")[0].GetProperty("text").GetString());
        var two = await AgentCallsJson.PostOkAsync(Http, "v1/completions", new { prompt = new[] { ids, ids[..^1] }, max_tokens = 2, temperature = 0 });
        Assert.Equal([" four five", " three four"], two.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("text").GetString()));
        Assert.Equal(2 * ids.Length - 1, two.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Streamed_chunks_of_several_prompts_carry_their_choice_index()
    {
        using var response = await Http.PostAsJsonAsync("v1/completions", new
        {
            prompt = new[] { "hello", "one two three", "hello" },
            max_tokens = 3,
            temperature = 0,
            stream = true,
            stream_options = new { include_usage = true },
        });
        var (events, done) = await Sse.ReadAllAsync(response);
        Assert.True(done);
        var texts = new[] { new StringBuilder(), new StringBuilder(), new StringBuilder() };
        foreach (var c in events.SelectMany(e => e.GetProperty("choices").EnumerateArray()))
            texts[c.GetProperty("index").GetInt32()].Append(c.GetProperty("text").GetString());
        Assert.Equal([" world", " four five six", " world"], texts.Select(t => t.ToString()));
        // " world" is one token and then end-of-generation, counted as llama-server counts it (2 each);
        // "four five six" is cut by max_tokens at 3.
        Assert.Equal(7, events[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"prompt":["hello",[5,6]]}""", "prompt[1]", "first prompt")]
    [InlineData("""{"prompt":[[5,6],[]]}""", "prompt[1]", "at least one token")]
    [InlineData("""{"prompt":[5,99999999]}""", "prompt", "token ids of this model")]
    [InlineData("""{"prompt":[]}""", "prompt", "not empty")]
    [InlineData("""{"prompt":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u"]}""", "prompt", "FLEET_PARALLEL_SLOTS")]
    public async Task Prompts_the_agent_cannot_take_are_400_naming_them(string body, string param, string messagePart)
    {
        var error = await AgentCallsJson.PostBadAsync(Http, "v1/completions", body);
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString());
    }
}
