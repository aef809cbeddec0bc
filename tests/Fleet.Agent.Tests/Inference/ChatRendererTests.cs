using Fleet.Agent.Inference;
using Fleet.Agent.Inference.Templates;
using Fleet.Agent.Tests.Gguf;

namespace Fleet.Agent.Tests.Inference;

/// <summary>
/// Each family's rendering of real templates against the outputs llama.cpp's tests/test-chat-template.cpp expects
/// for the same conversation (and Qwen's and Llama 3.1's model-card outputs for their defaults).
/// </summary>
public sealed class ChatRendererTests
{
    private static readonly ChatTurn[] Conversation =
    [
        new("system", "You are a helpful assistant"), new("user", "Hello"), new("assistant", "Hi there"),
        new("user", "Who are you"), new("assistant", "   I am an assistant   "), new("user", "Another question"),
    ];

    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    public static TheoryData<string, string, string> Families => new()
    {
        { "ChatML", RealChatTemplates.ChatMl,
            "<|im_start|>system\nYou are a helpful assistant<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\nHi there<|im_end|>\n<|im_start|>user\nWho are you<|im_end|>\n<|im_start|>assistant\n   I am an assistant   <|im_end|>\n<|im_start|>user\nAnother question<|im_end|>\n<|im_start|>assistant\n" },
        { "Mistral", RealChatTemplates.MistralV02,
            "[INST] You are a helpful assistant\nHello [/INST]Hi there</s>[INST] Who are you [/INST]   I am an assistant   </s>[INST] Another question [/INST]" },
        { "Mistral (v1 spacing)", RealChatTemplates.MistralV1,
            " [INST] You are a helpful assistant\n\nHello [/INST] Hi there</s> [INST] Who are you [/INST]    I am an assistant   </s> [INST] Another question [/INST]" },
        { "Gemma", RealChatTemplates.Gemma,
            "<start_of_turn>user\nYou are a helpful assistant\n\nHello<end_of_turn>\n<start_of_turn>model\nHi there<end_of_turn>\n<start_of_turn>user\nWho are you<end_of_turn>\n<start_of_turn>model\nI am an assistant<end_of_turn>\n<start_of_turn>user\nAnother question<end_of_turn>\n<start_of_turn>model\n" },
        { "Llama 3", RealChatTemplates.Llama3,
            "<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nWho are you<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nI am an assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nAnother question<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n" },
        { "Phi-3", RealChatTemplates.Phi3,
            "<|system|>\nYou are a helpful assistant<|end|>\n<|user|>\nHello<|end|>\n<|assistant|>\nHi there<|end|>\n<|user|>\nWho are you<|end|>\n<|assistant|>\n   I am an assistant   <|end|>\n<|user|>\nAnother question<|end|>\n<|assistant|>\n" },
        { "Phi-3", RealChatTemplates.Phi3Mini,
            "<|system|>\nYou are a helpful assistant<|end|>\n<|user|>\nHello<|end|>\n<|assistant|>\nHi there<|end|>\n<|user|>\nWho are you<|end|>\n<|assistant|>\n   I am an assistant   <|end|>\n<|user|>\nAnother question<|end|>\n<|assistant|>\n" },
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void Each_family_renders_as_its_template_does(string family, string template, string expected)
    {
        var format = ChatFormat.Detect(template, "</s>");
        Assert.True(format.Recognised);
        Assert.Equal(family, format.Name);
        var parts = ChatRenderer.Render(format, Conversation, Now);
        Assert.Equal(expected, string.Concat(parts.Select(p => p.Text)));
        // Client text is never template text: its control-token look-alikes stay plain text.
        Assert.DoesNotContain(parts, p => p.FromTemplate && p.Text.Contains("Who are you", StringComparison.Ordinal));
    }

    [Fact]
    public void Qwen_writes_its_default_system_prompt_only_when_the_conversation_has_none()
    {
        var format = ChatFormat.Detect(RealChatTemplates.Qwen25, "<|endoftext|>");
        Assert.Equal("You are Qwen, created by Alibaba Cloud. You are a helpful assistant.", format.DefaultSystem);

        Assert.Equal(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
            Text(format, [new("user", "Hello")]));
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n",
            Text(format, [new("system", "Be brief."), new("user", "Hello")]));
        Assert.Null(ChatFormat.Detect(RealChatTemplates.ChatMl, "</s>").DefaultSystem);
    }

    [Fact]
    public void Llama_3_1_always_writes_its_dated_system_block()
    {
        var format = ChatFormat.Detect(RealChatTemplates.Llama31Head, "<|eot_id|>");
        Assert.Equal("Llama 3.1+ (date header)", format.Name);
        Assert.Equal(
            "<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nYou are a helpful assistant<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            Text(format, [new("system", "  You are a helpful assistant\n"), new("user", "Hello")]));
        Assert.StartsWith("<|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|><|start_header_id|>user",
            Text(format, [new("user", "Hello")]));

        var today = ChatFormat.Detect(RealChatTemplates.Llama31Head.Replace("{%- set date_string = \"26 Jul 2024\" %}",
            "{%- set date_string = strftime_now(\"%d %b %Y\") %}", StringComparison.Ordinal), "<|eot_id|>");
        Assert.Contains("Today Date: 29 Nov 2026\n\n", Text(today, [new("user", "Hello")]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{{ messages | custom_filter }} <<weird>>")]
    [InlineData("{% for message in messages %}<|im_start|>{{ message.role }}<|im_sep|>{{ message.content }}<|im_end|>{% endfor %}")]
    public void A_missing_or_unknown_template_falls_back_to_ChatML(string? template)
    {
        var format = ChatFormat.Detect(template, "</s>");
        Assert.False(format.Recognised);
        Assert.Equal("<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n", Text(format, [new("user", "Hello")]));
    }

    private static string Text(ChatFormat format, ChatTurn[] turns) => string.Concat(ChatRenderer.Render(format, turns, Now).Select(p => p.Text));
}
