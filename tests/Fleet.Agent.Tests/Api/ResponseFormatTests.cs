using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// response_format constrains decoding with a GBNF grammar. The model here has random weights: sampled freely its text
/// is noise, so only the constraint can make each answer parse and validate.
/// </summary>
public sealed class ResponseFormatTests : IAsyncLifetime
{
    private const string Schema = """
        {"type":"object","properties":{
          "ok":{"type":"boolean"},"size":{"enum":["small","large"]},"count":{"type":"integer","description":"how many"},
          "note":{"type":"null"},"tags":{"type":"array","items":{"enum":["a","b"]}},
          "inner":{"type":"object","properties":{"flag":{"type":"boolean"}},"required":["flag"],"additionalProperties":false}},
         "required":["ok","size","count","inner"],"additionalProperties":false}
        """;

    private AgentHost _agent = null!;

    public async Task InitializeAsync() =>
        _agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", new BpeModel().WriteTo(TestModels.NewPath("bpe-random.gguf")))));

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    [Fact]
    public async Task Json_schema_answers_parse_and_validate_where_free_text_does_not()
    {
        var format = new { type = "json_schema", json_schema = new { name = "reply", strict = true, schema = JsonDocument.Parse(Schema).RootElement } };
        for (var seed = 1; seed <= 3; seed++)
        {
            var (text, finish) = await ChatAsync(seed, format, null);
            Assert.Equal("stop", finish);
            using var doc = JsonDocument.Parse(text);
            var o = doc.RootElement;
            Assert.True(o.GetProperty("ok").ValueKind is JsonValueKind.True or JsonValueKind.False, text);
            Assert.Contains(o.GetProperty("size").GetString(), new[] { "small", "large" });
            Assert.True(o.GetProperty("count").TryGetInt64(out _), text);
            Assert.True(o.GetProperty("inner").GetProperty("flag").ValueKind is JsonValueKind.True or JsonValueKind.False, text);
            Assert.Single(o.GetProperty("inner").EnumerateObject());
            if (o.TryGetProperty("note", out var note)) Assert.Equal(JsonValueKind.Null, note.ValueKind);
            if (o.TryGetProperty("tags", out var tags)) Assert.All(tags.EnumerateArray(), t => Assert.Contains(t.GetString(), new[] { "a", "b" }));
            Assert.All(o.EnumerateObject(), p => Assert.Contains(p.Name, new[] { "ok", "size", "count", "note", "tags", "inner" }));
        }

        var (free, _) = await ChatAsync(1, null, null);
        Assert.False(ParsesAsObject(free), "free sampling of random weights should not write JSON: " + free);
    }

    [Fact]
    public async Task Json_object_answers_are_json_objects()
    {
        // Closing characters are favoured so the random model ends its strings and objects soon; sampled freely the
        // same bias gives noise full of quotes and braces.
        var bias = new Dictionary<string, int> { ["34"] = 3, ["125"] = 3, ["93"] = 3 }; // '"', '}', ']' (byte tokens)
        for (var seed = 1; seed <= 3; seed++)
        {
            var (text, finish) = await ChatAsync(seed, new { type = "json_object" }, bias);
            Assert.Equal("stop", finish);
            Assert.True(ParsesAsObject(text), text);
        }

        var (free, _) = await ChatAsync(1, null, bias);
        Assert.False(ParsesAsObject(free), free);
    }

    [Theory]
    [InlineData("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"schema\":{\"type\":\"string\",\"pattern\":\"^a$\"}}}",
        "response_format.json_schema.schema", "pattern", "unsupported_parameter")]
    [InlineData("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"r\",\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"anyOf\":[]}}}}}",
        "response_format.json_schema.schema", "anyOf at schema.properties.a", "unsupported_parameter")]
    [InlineData("{\"type\":\"xml\"}", "response_format.type", "xml", "invalid_value")]
    [InlineData("{\"type\":\"json_schema\"}", "response_format.json_schema", "required", "invalid_value")]
    public async Task A_format_the_agent_cannot_constrain_is_400_naming_it(string format, string param, string messagePart, string code)
    {
        var error = await AgentCallsJson.PostBadAsync(_agent.Http, "v1/chat/completions",
            $"{{\"messages\":[{{\"role\":\"user\",\"content\":\"x\"}}],\"response_format\":{format}}}");
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString());
    }

    private async Task<(string Text, string? Finish)> ChatAsync(int seed, object? format, Dictionary<string, int>? bias)
    {
        var body = new Dictionary<string, object?>
        {
            ["messages"] = new[] { new { role = "user", content = "reply in JSON" } },
            ["max_tokens"] = 400,
            ["temperature"] = 1,
            ["top_k"] = 0,
            ["min_p"] = 0,
            ["seed"] = seed,
        };
        if (format is not null) body["response_format"] = format;
        if (bias is not null) body["logit_bias"] = bias;
        var root = await AgentCallsJson.PostOkAsync(_agent.Http, "v1/chat/completions", body);
        var choice = root.GetProperty("choices")[0];
        return (choice.GetProperty("message").GetProperty("content").GetString()!, choice.GetProperty("finish_reason").GetString());
    }

    private static bool ParsesAsObject(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
