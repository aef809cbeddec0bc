using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// tools / tool_choice on a random-weight model (Hermes format): with <c>required</c> or a named function every answer
/// is tool calls whose arguments validate against their schema — only the grammar can make them — read back as
/// <c>message.tool_calls</c> (and <c>delta.tool_calls</c> when streamed) with finish_reason <c>tool_calls</c>.
/// </summary>
public sealed class ToolCallTests(RandomModelFixture fixture) : IClassFixture<RandomModelFixture>
{
    private HttpClient Http => fixture.Agent.Http;

    private static Dictionary<string, object?> Body(int seed, object? toolChoice, bool? parallel = null, bool stream = false, bool tools = true)
    {
        var body = new Dictionary<string, object?>
        {
            ["messages"] = new[] { new { role = "user", content = "What's the weather in Paris, and the time?" } },
            ["max_tokens"] = 600,
            ["temperature"] = 1,
            ["top_k"] = 0,
            ["min_p"] = 0,
            ["seed"] = seed,
            ["logit_bias"] = new Dictionary<string, int> { ["34"] = 4 }, // '"': the random model ends its strings soon
        };
        if (tools) body["tools"] = ToolSchemas.Tools;
        if (toolChoice is not null) body["tool_choice"] = toolChoice;
        if (parallel is not null) body["parallel_tool_calls"] = parallel;
        if (stream) body["stream"] = true;
        return body;
    }

    [Fact]
    public async Task Required_always_yields_calls_whose_arguments_validate()
    {
        for (var seed = 1; seed <= 4; seed++)
        {
            var choice = (await AgentCallsJson.PostOkAsync(Http, "v1/chat/completions", Body(seed, "required"))).GetProperty("choices")[0];
            Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
            var message = choice.GetProperty("message");
            Assert.Equal(JsonValueKind.Null, message.GetProperty("content").ValueKind);
            var calls = message.GetProperty("tool_calls").EnumerateArray().ToList();
            Assert.NotEmpty(calls);
            Assert.Equal(calls.Count, calls.Select(c => c.GetProperty("id").GetString()).Distinct().Count());
            foreach (var call in calls)
            {
                Assert.StartsWith("call_", call.GetProperty("id").GetString());
                Assert.Equal("function", call.GetProperty("type").GetString());
                var function = call.GetProperty("function");
                ToolSchemas.AssertValid(function.GetProperty("name").GetString()!, function.GetProperty("arguments").GetString()!);
            }
        }

        // The same seeds sampled without tools: noise, never a call.
        var free = (await AgentCallsJson.PostOkAsync(Http, "v1/chat/completions", Body(1, null, tools: false))).GetProperty("choices")[0];
        Assert.DoesNotContain("<tool_call>", free.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task A_named_function_is_the_only_one_called_and_parallel_false_makes_one_call()
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            var named = new { type = "function", function = new { name = "get_time" } };
            var message = (await AgentCallsJson.PostOkAsync(Http, "v1/chat/completions", Body(seed, named, parallel: false)))
                .GetProperty("choices")[0].GetProperty("message");
            var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray().ToList()).GetProperty("function");
            Assert.Equal("get_time", call.GetProperty("name").GetString());
            ToolSchemas.AssertValid("get_time", call.GetProperty("arguments").GetString()!);
        }
    }

    [Fact]
    public async Task Auto_answers_text_or_valid_calls_and_none_answers_text()
    {
        for (var seed = 1; seed <= 3; seed++)
        {
            var choice = (await AgentCallsJson.PostOkAsync(Http, "v1/chat/completions", Body(seed, "auto"))).GetProperty("choices")[0];
            var message = choice.GetProperty("message");
            if (message.TryGetProperty("tool_calls", out var calls))
                foreach (var call in calls.EnumerateArray())
                    ToolSchemas.AssertValid(call.GetProperty("function").GetProperty("name").GetString()!,
                        call.GetProperty("function").GetProperty("arguments").GetString()!);
            else
                Assert.False(message.GetProperty("content").GetString()!.StartsWith("<tool_call>", StringComparison.Ordinal));
        }

        var none = (await AgentCallsJson.PostOkAsync(Http, "v1/chat/completions", Body(1, "none"))).GetProperty("choices")[0];
        Assert.Equal(JsonValueKind.String, none.GetProperty("message").GetProperty("content").ValueKind);
        Assert.False(none.GetProperty("message").TryGetProperty("tool_calls", out _));
    }

    [Fact]
    public async Task Streamed_calls_arrive_as_indexed_delta_tool_calls_and_equal_the_whole_answer()
    {
        var whole = (await AgentCallsJson.PostOkAsync(Http, "v1/chat/completions", Body(5, "required")))
            .GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls").EnumerateArray()
            .Select(c => (c.GetProperty("function").GetProperty("name").GetString(), c.GetProperty("function").GetProperty("arguments").GetString()))
            .ToList();

        using var response = await Http.PostAsJsonAsync("v1/chat/completions", Body(5, "required", stream: true));
        var (events, done) = await Sse.ReadAllAsync(response);
        Assert.True(done);
        var names = new Dictionary<int, string>();
        var arguments = new Dictionary<int, StringBuilder>();
        string? finish = null;
        foreach (var choice in events.SelectMany(e => e.GetProperty("choices").EnumerateArray()))
        {
            var delta = choice.GetProperty("delta");
            Assert.False(delta.TryGetProperty("content", out var c) && c.GetString() is { Length: > 0 }, "a call must not stream as text");
            if (delta.TryGetProperty("tool_calls", out var calls))
                foreach (var call in calls.EnumerateArray())
                {
                    var index = call.GetProperty("index").GetInt32();
                    if (call.TryGetProperty("id", out _)) names[index] = call.GetProperty("function").GetProperty("name").GetString()!;
                    arguments.TryAdd(index, new StringBuilder());
                    arguments[index].Append(call.GetProperty("function").GetProperty("arguments").GetString());
                }

            if (choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String) finish = f.GetString();
        }

        Assert.Equal("tool_calls", finish);
        Assert.Equal(Enumerable.Range(0, whole.Count), names.Keys.Order());
        Assert.Equal(whole, names.Keys.Order().Select(i => ((string?)names[i], (string?)arguments[i].ToString())));
    }

    [Theory]
    [InlineData("""{"tool_choice":{"type":"function","function":{"name":"get_moon"}}}""", "tool_choice.function.name", "get_moon")]
    [InlineData("""{"tool_choice":"sometimes"}""", "tool_choice", "sometimes")]
    [InlineData("""{"tools":[{"type":"function","function":{"name":"x","parameters":{"type":"string","pattern":"^a$"}}}]}""",
        "tools[0].function.parameters", "pattern")]
    [InlineData("""{"tools":[{"type":"retrieval"}]}""", "tools[0].type", "retrieval")]
    [InlineData("""{"tools":[{"type":"function","function":{"name":"bad name"}}]}""", "tools[0].function.name", "bad name")]
    [InlineData("""{"response_format":{"type":"json_object"}}""", "response_format", "tools")]
    public async Task A_tool_request_the_agent_cannot_serve_is_400_naming_the_field(string extra, string param, string messagePart)
    {
        var body = JsonSerializer.SerializeToNode(Body(1, null))!.AsObject();
        foreach (var (key, value) in JsonNode(extra)) body[key] = value?.DeepClone();
        var error = await AgentCallsJson.PostBadAsync(Http, "v1/chat/completions", body.ToJsonString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Tool_choice_without_tools_is_400()
    {
        var body = JsonSerializer.SerializeToNode(Body(1, "required", tools: false))!.ToJsonString();
        var error = await AgentCallsJson.PostBadAsync(Http, "v1/chat/completions", body);
        Assert.Equal("tool_choice", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_template_family_without_a_tool_format_is_400_naming_tools_and_the_template()
    {
        var path = new ScriptedModel { Template = RealChatTemplates.Gemma }.WriteTo(TestModels.NewPath("gemma-tools.gguf"));
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", path)));
        var error = await AgentCallsJson.PostBadAsync(agent.Http, "v1/chat/completions", JsonSerializer.Serialize(Body(1, null)));
        Assert.Equal("tools", error.GetProperty("param").GetString());
        Assert.Contains("Gemma", error.GetProperty("message").GetString());
        // tool_choice none needs no format: the tools are not used.
        await AgentCallsJson.PostOkAsync(agent.Http, "v1/chat/completions", Body(1, "none"));
    }

    [Fact]
    public async Task Llama_3_1_answers_one_json_call_with_parameters_that_validate()
    {
        var path = new ScriptedModel { Template = RealChatTemplates.Llama31Head }.WriteTo(TestModels.NewPath("llama31-tools.gguf"));
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", path), ("FLEET_CONTEXT_SIZE", "16384")));
        for (var seed = 1; seed <= 3; seed++)
        {
            var body = Body(seed, "required");
            body["logit_bias"] = new Dictionary<string, int> { ["37"] = 4 }; // '"' (byte token <0x22>) in this vocabulary
            var choice = (await AgentCallsJson.PostOkAsync(agent.Http, "v1/chat/completions", body)).GetProperty("choices")[0];
            Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
            var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray().ToList()).GetProperty("function");
            ToolSchemas.AssertValid(call.GetProperty("name").GetString()!, call.GetProperty("arguments").GetString()!);
        }
    }

    private static System.Text.Json.Nodes.JsonObject JsonNode(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
}
