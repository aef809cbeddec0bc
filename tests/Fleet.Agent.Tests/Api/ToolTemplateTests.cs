using System.Text.Json;
using Fleet.Agent.Inference;
using Fleet.Agent.Inference.Templates;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// Tools, tool calls and tool results written the way Qwen 2.5's (Hermes) and Llama 3.1's templates write them: the
/// expected texts follow each template's Jinja by hand (RealChatTemplates.Qwen25; Llama 3.1's tool part, with its
/// default tools_in_user_message). Through HTTP, a conversation with tool results costs the tokens of that text.
/// </summary>
public sealed class ToolTemplateTests
{
    private const string WeatherTool =
        """{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static ChatTool[] Tools => [new("get_weather", JsonDocument.Parse(WeatherTool).RootElement)];

    private static ChatTurn CallTurn => new("assistant", "") { ToolCalls = [new ChatToolCall("get_weather", JsonDocument.Parse("""{"city":"Paris"}""").RootElement)] };

    private const string QwenToolsSystem =
        "<|im_start|>system\nYou are a helpful assistant\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
        "You are provided with function signatures within <tools></tools> XML tags:\n<tools>\n" +
        """{"type": "function", "function": {"name": "get_weather", "description": "Weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}""" +
        "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n" +
        "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";

    private const string QwenConversation =
        "<|im_start|>user\nWhat's the weather in Paris?<|im_end|>\n" +
        "<|im_start|>assistant\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call><|im_end|>\n" +
        "<|im_start|>user\n<tool_response>\n{\"temp\": 20}\n</tool_response>\n<tool_response>\nsunny\n</tool_response><|im_end|>\n" +
        "<|im_start|>user\nThanks<|im_end|>\n<|im_start|>assistant\n";

    private static readonly ChatTurn[] QwenTurns =
    [
        new("system", "You are a helpful assistant"), new("user", "What's the weather in Paris?"), CallTurn,
        new("tool", "{\"temp\": 20}"), new("tool", "sunny"), new("user", "Thanks"),
    ];

    [Fact]
    public void Qwen_writes_tools_in_the_system_turn_calls_as_tool_call_blocks_and_results_as_one_user_turn()
    {
        var format = ChatFormat.Detect(RealChatTemplates.Qwen25, "<|endoftext|>");
        Assert.Equal(ToolCallFormat.Hermes, format.ToolFormat);
        var parts = ChatRenderer.Render(format, QwenTurns, Now, Tools);
        Assert.Equal(QwenToolsSystem + QwenConversation, string.Concat(parts.Select(p => p.Text)));
        // The tool definition and the call's name and arguments are client text: never control tokens.
        Assert.Contains(parts, p => !p.FromTemplate && p.Text.StartsWith("{\"type\": \"function\"", StringComparison.Ordinal));
        Assert.Contains(parts, p => !p.FromTemplate && p.Text == "get_weather");
    }

    [Fact]
    public void Qwen_without_tools_still_writes_earlier_calls_and_results_and_its_default_system_prompt()
    {
        var format = ChatFormat.Detect(RealChatTemplates.Qwen25, "<|endoftext|>");
        var text = string.Concat(ChatRenderer.Render(format, QwenTurns[1..], Now).Select(p => p.Text));
        Assert.Equal("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n" + QwenConversation, text);
    }

    [Fact]
    public void Llama_3_1_writes_ipython_environment_tools_in_the_first_user_message_json_calls_and_ipython_results()
    {
        var format = ChatFormat.Detect(RealChatTemplates.Llama31Head, "<|eot_id|>");
        Assert.Equal(ToolCallFormat.Llama3Json, format.ToolFormat);
        ChatTurn[] turns = [new("system", "Be brief."), new("user", " Weather in Paris? "), CallTurn, new("tool", "{\"temp\": 20}")];
        const string tool = "{\n    \"type\": \"function\",\n    \"function\": {\n        \"name\": \"get_weather\",\n        \"description\": \"Weather\",\n" +
                            "        \"parameters\": {\n            \"type\": \"object\",\n            \"properties\": {\n                \"city\": {\n" +
                            "                    \"type\": \"string\"\n                }\n            },\n            \"required\": [\n" +
                            "                \"city\"\n            ]\n        }\n    }\n}";
        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nEnvironment: ipython\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n" +
            "Be brief.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nGiven the following functions, please respond with a JSON for a " +
            "function call with its proper arguments that best answers the given prompt.\n\nRespond in the format {\"name\": function name, " +
            "\"parameters\": dictionary of argument name and its value}.Do not use variables.\n\n" + tool + "\n\nWeather in Paris?<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\n{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Paris\"}}<|eot_id|>" +
            "<|start_header_id|>ipython<|end_header_id|>\n\n\"{\\\"temp\\\": 20}\"<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            string.Concat(ChatRenderer.Render(format, turns, Now, Tools).Select(p => p.Text)));
    }

    [Theory]
    [InlineData(nameof(RealChatTemplates.Gemma))]
    [InlineData(nameof(RealChatTemplates.MistralV02))]
    [InlineData(nameof(RealChatTemplates.Phi3))]
    [InlineData(nameof(RealChatTemplates.Llama3))]
    public void Families_whose_templates_write_no_tool_calls_have_no_tool_format(string name)
    {
        var template = (string)typeof(RealChatTemplates).GetField(name)!.GetValue(null)!;
        Assert.Null(ChatFormat.Detect(template, "</s>").ToolFormat);
    }

    [Fact]
    public async Task Earlier_calls_and_tool_results_sent_over_http_reach_the_prompt()
    {
        var path = new ScriptedModel { Template = RealChatTemplates.Qwen25 }.WriteTo(TestModels.NewPath("qwen-tools.gguf"));
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", path), ("FLEET_CONTEXT_SIZE", "16384")));
        var plain = await PromptTokensAsync(agent, "Paris", "sunny");
        Assert.True(await PromptTokensAsync(agent, "Paris, France", "sunny") > plain, "the call's arguments are in the prompt");
        Assert.True(await PromptTokensAsync(agent, "Paris", "sunny and warm") > plain, "the tool result is in the prompt");
    }

    private static async Task<int> PromptTokensAsync(AgentHost agent, string city, string result)
    {
        var answer = await AgentCallsJson.PostOkAsync(agent.Http, "v1/chat/completions", new
        {
            messages = new object[]
            {
                new { role = "user", content = "What's the weather in Paris?" },
                new
                {
                    role = "assistant", content = (string?)null,
                    tool_calls = new[] { new { id = "call_1", type = "function", function = new { name = "get_weather", arguments = JsonSerializer.Serialize(new { city }) } } },
                },
                new { role = "tool", tool_call_id = "call_1", content = result },
            },
            tools = new[] { JsonDocument.Parse(WeatherTool).RootElement },
            max_tokens = 1,
            temperature = 0,
        });
        return answer.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
    }
}
