using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// The official OpenAI JS client (npm <c>openai</c>, pinned in tests/Fleet.Agent.Tests/js; <c>npm ci</c> there first)
/// used as a new user would: honoured sampling, logprobs, n = 2, a schema-valid json_schema answer, a parsed tool call
/// (whole and streamed) and the prompt cache in cached_tokens.
/// </summary>
public sealed class JsClientTests
{
    [Fact]
    public async Task The_official_js_client_gets_what_it_asks_for()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "tests", "Fleet.Agent.Tests", "js");
        await using var scripted = await AgentHost.StartAsync(AgentHost.Env());
        await using var random = await AgentHost.StartAsync(AgentHost.Env(
            ("FLEET_MODEL_PATH", new BpeModel().WriteTo(TestModels.NewPath("bpe-random.gguf"))), ("FLEET_CONTEXT_SIZE", "16384")));

        using var doc = await NodeScript.RunAsync(folder, "client.mjs", "openai", new Dictionary<string, string>
        {
            ["FLEET_SCRIPTED_URL"] = new Uri(scripted.BaseAddress, "v1").ToString(),
            ["FLEET_RANDOM_URL"] = new Uri(random.BaseAddress, "v1").ToString(),
        }, TimeSpan.FromMinutes(3));
        var o = doc.RootElement;

        Assert.Equal("Hi there", o.GetProperty("greedy").GetString());
        var seeded = o.GetProperty("seeded").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(seeded[0], seeded[1]); // same seed, same sample
        Assert.NotEqual(seeded[0], seeded[2]); // another seed samples differently
        var greedy = o.GetProperty("greedyTwice").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal(greedy[0], greedy[1]); // temperature 0: the seed plays no part

        var logprobs = o.GetProperty("logprobs").EnumerateArray().ToList();
        Assert.Equal(["Hi", " there"], logprobs.Select(t => t.GetProperty("token").GetString()));
        Assert.All(logprobs, t => Assert.True(t.GetProperty("logprob").GetDouble() < 0 && t.GetProperty("top").GetInt32() == 2));

        Assert.Equal([(0, "Hi there"), (1, "Hi there")],
            o.GetProperty("n2").EnumerateArray().Select(c => (c.GetProperty("index").GetInt32(), c.GetProperty("content").GetString())));

        var json = o.GetProperty("jsonSchema");
        Assert.Contains(json.GetProperty("size").GetString(), new[] { "small", "large" });
        Assert.True(json.GetProperty("ok").ValueKind is JsonValueKind.True or JsonValueKind.False);
        Assert.True(json.GetProperty("count").TryGetInt64(out _));
        Assert.Equal(3, json.EnumerateObject().Count());

        foreach (var key in new[] { "toolCall", "streamedToolCall" })
        {
            var call = o.GetProperty(key);
            Assert.Equal("tool_calls", call.GetProperty("finish").GetString());
            Assert.Equal("get_time", call.GetProperty("name").GetString());
            ToolSchemas.AssertValid("get_time", call.GetProperty("arguments").GetRawText());
        }

        Assert.StartsWith("call_", o.GetProperty("toolCall").GetProperty("id").GetString());
        Assert.Equal(o.GetProperty("toolCall").GetProperty("arguments").GetRawText(), o.GetProperty("streamedToolCall").GetProperty("arguments").GetRawText());
        var cached = o.GetProperty("cached").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.True(cached[0] < 10, $"a new long system prompt shares no more than the template's opening with earlier requests: {cached[0]}");
        Assert.True(cached[1] >= cached[2] - 1, $"the second identical request reuses its prompt: {cached[1]} of {cached[2]} tokens cached");
    }
}
