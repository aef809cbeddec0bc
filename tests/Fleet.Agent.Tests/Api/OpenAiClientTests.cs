using System.ClientModel;
using System.Text;
using Fleet.Agent.Tests.Support;
using OpenAI;
using OpenAI.Chat;

namespace Fleet.Agent.Tests.Api;

/// <summary>The official OpenAI .NET client against the agent: chat, streaming, max tokens, usage.</summary>
public sealed class OpenAiClientTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private ChatClient Client => new("scripted", new ApiKeyCredential("unused"),
        new OpenAIClientOptions { Endpoint = new Uri(fixture.Agent.BaseAddress, "v1") });

    [Fact]
    public async Task Chat_answers_through_the_models_chat_template()
    {
        ChatCompletion completion = await Client.CompleteChatAsync([new UserChatMessage("hello")],
            new ChatCompletionOptions { Temperature = 0 });
        Assert.Equal("Hi there", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(3, completion.Usage.OutputTokenCount); // "Hi", " there" and the end-of-generation token, as llama-server counts
        Assert.True(completion.Usage.InputTokenCount > 5, "the template adds role markers to the prompt");
        Assert.Equal(completion.Usage.InputTokenCount + 3, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task Chat_stops_at_max_output_tokens()
    {
        ChatCompletion completion = await Client.CompleteChatAsync([new UserChatMessage("hello")],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 1 });
        Assert.Equal("Hi", completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
    }

    [Fact]
    public async Task Chat_streams_the_same_answer_with_usage()
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var updates = 0;
        await foreach (var update in Client.CompleteChatStreamingAsync([new SystemChatMessage("be brief"), new UserChatMessage("hello")],
                           new ChatCompletionOptions { Temperature = 0 }))
        {
            updates++;
            foreach (var part in update.ContentUpdate) text.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("Hi there", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.True(updates >= 3, $"expected role, text and finish chunks, got {updates} updates");
        Assert.NotNull(usage);
        Assert.Equal(3, usage.OutputTokenCount); // with the end-of-generation token
    }

    [Fact]
    public async Task Chat_log_probabilities_are_read_by_the_client()
    {
        ChatCompletion completion = await Client.CompleteChatAsync([new UserChatMessage("hello")],
            new ChatCompletionOptions { Temperature = 0, IncludeLogProbabilities = true, TopLogProbabilityCount = 2 });
        var tokens = completion.ContentTokenLogProbabilities;
        Assert.Equal(["Hi", " there"], tokens.Select(t => t.Token));
        Assert.All(tokens, t =>
        {
            Assert.True(t.LogProbability < 0);
            Assert.Equal(Encoding.UTF8.GetBytes(t.Token), t.Utf8Bytes!.Value.ToArray());
            Assert.Equal(2, t.TopLogProbabilities.Count);
            Assert.Equal(t.Token, t.TopLogProbabilities[0].Token);
        });
    }

    [Fact]
    public async Task Two_choices_reach_the_client()
    {
        var options = new ChatCompletionOptions { Temperature = 0 };
#pragma warning disable SCME0001 // the .NET client has no typed n; its JSON patch sets it as the wire field
        options.Patch.Set("$.n"u8, 2);
#pragma warning restore SCME0001
        var result = await Client.CompleteChatAsync([new UserChatMessage("hello")], options);
        Assert.Equal("Hi there", result.Value.Content[0].Text);
        using var raw = System.Text.Json.JsonDocument.Parse(result.GetRawResponse().Content);
        var choices = raw.RootElement.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal([0, 1], choices.Select(c => c.GetProperty("index").GetInt32()));
        Assert.All(choices, c => Assert.Equal("Hi there", c.GetProperty("message").GetProperty("content").GetString()));
    }
}
