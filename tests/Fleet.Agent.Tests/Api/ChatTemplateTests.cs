using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// Chat prompts follow the GGUF's own <c>tokenizer.chat_template</c>, seen through the HTTP API: a chat's
/// <c>prompt_tokens</c> equals the token count of the text the template writes (the scripted vocabulary has no
/// control tokens for these families, so /tokenize of that text tokenizes it exactly as the chat does).
/// </summary>
public sealed class ChatTemplateTests
{
    public static TheoryData<string, string> Families => new()
    {
        { RealChatTemplates.Llama3, "<|start_header_id|>user<|end_header_id|>\n\nhello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" },
        { RealChatTemplates.Gemma, "<start_of_turn>user\nhello<end_of_turn>\n<start_of_turn>model\n" },
        { RealChatTemplates.MistralV02, "[INST] hello [/INST]" },
        { RealChatTemplates.Phi3, "<|user|>\nhello<|end|>\n<|assistant|>\n" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public async Task A_chat_prompt_is_the_text_the_models_template_writes(string template, string rendered)
    {
        var path = new ScriptedModel { Template = template }.WriteTo(TestModels.NewPath("family.gguf"));
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", path)));

        var tokens = await AgentCallsJson.PostOkAsync(agent.Http, "tokenize", new { content = rendered, add_special = true });
        Assert.Equal(tokens.GetProperty("tokens").GetArrayLength(), await PromptTokensAsync(agent.Http, ("user", "hello")));
        Assert.DoesNotContain("fall back to ChatML", agent.Logs.All);
    }

    [Fact]
    public async Task Qwen_template_adds_its_default_system_prompt_when_the_chat_has_none()
    {
        var qwen = new ScriptedModel { Template = RealChatTemplates.Qwen25 }.WriteTo(TestModels.NewPath("qwen-template.gguf"));
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", qwen)));
        await using var plain = await AgentHost.StartAsync(AgentHost.Env()); // plain ChatML, no default system prompt

        const string system = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";
        var withDefault = await PromptTokensAsync(agent.Http, ("user", "hello"));
        Assert.Equal(await PromptTokensAsync(plain.Http, ("system", system), ("user", "hello")), withDefault);
        Assert.True(withDefault > await PromptTokensAsync(plain.Http, ("user", "hello")));
        // A system message of the client's replaces the default.
        Assert.Equal(await PromptTokensAsync(plain.Http, ("system", "Be brief."), ("user", "hello")),
            await PromptTokensAsync(agent.Http, ("system", "Be brief."), ("user", "hello")));
        Assert.Contains("chat prompts use the model's chat template: ChatML with a default system prompt", agent.Logs.All);
    }

    [Fact]
    public async Task Unknown_chat_template_falls_back_to_ChatML_and_says_so_at_start()
    {
        var path = new ScriptedModel { Template = "{{ messages | custom_filter }} <<weird>>" }.WriteTo(TestModels.NewPath("odd-template.gguf"));
        await using var agent = await AgentHost.StartAsync(AgentHost.Env(("FLEET_MODEL_PATH", path)));
        Assert.Contains("tokenizer.chat_template is of no family the agent renders", agent.Logs.All);
        Assert.Contains("chat prompts fall back to ChatML", agent.Logs.All);

        using var chat = await agent.Http.PostAsJsonAsync("v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "hello" } }, temperature = 0 });
        var body = await chat.Content.ReadAsStringAsync();
        Assert.True(chat.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        // The scripted model answers "Hi there" only to a ChatML prompt.
        Assert.Equal("Hi there", doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    private static async Task<int> PromptTokensAsync(HttpClient http, params (string Role, string Content)[] messages)
    {
        var answer = await AgentCallsJson.PostOkAsync(http, "v1/chat/completions", new
        {
            messages = messages.Select(m => new { role = m.Role, content = m.Content }).ToArray(),
            max_tokens = 1,
            temperature = 0,
        });
        return answer.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
    }
}
