using System.ClientModel;
using System.Text;
using OpenAI;
using OpenAI.Chat;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// The official OpenAI .NET client reads the agent's tool calls, whole and streamed, and sends them back with their
/// results. The model has random weights: only the grammar makes its answer a call that parses and validates.
/// </summary>
public sealed class OpenAiClientToolTests(RandomModelFixture fixture) : IClassFixture<RandomModelFixture>
{
    private ChatClient Client => new("random", new ApiKeyCredential("unused"),
        new OpenAIClientOptions { Endpoint = new Uri(fixture.Agent.BaseAddress, "v1") });

    private static ChatCompletionOptions Options(ChatToolChoice choice)
    {
        var options = new ChatCompletionOptions
        {
            Temperature = 0,
            ToolChoice = choice,
            AllowParallelToolCalls = false,
            MaxOutputTokenCount = 300,
            Tools =
            {
                ChatTool.CreateFunctionTool("get_time", "The time in a zone", BinaryData.FromString(ToolSchemas.TimeParameters)),
                ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString(ToolSchemas.WeatherParameters)),
            },
        };
        return options;
    }

    [Fact]
    public async Task The_client_reads_a_required_call_and_sends_it_back_with_its_result()
    {
        List<ChatMessage> messages = [new UserChatMessage("What time is it in UTC?")];
        ChatCompletion completion = await Client.CompleteChatAsync(messages, Options(ChatToolChoice.CreateFunctionChoice("get_time")));
        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        Assert.Empty(completion.Content);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal(ChatToolCallKind.Function, call.Kind);
        Assert.Equal("get_time", call.FunctionName);
        Assert.StartsWith("call_", call.Id);
        ToolSchemas.AssertValid("get_time", call.FunctionArguments.ToString());

        messages.Add(new AssistantChatMessage(completion.ToolCalls));
        messages.Add(new ToolChatMessage(call.Id, "{\"time\": \"12:00\"}"));
        var none = Options(ChatToolChoice.CreateNoneChoice());
        none.MaxOutputTokenCount = 4;
        ChatCompletion answer = await Client.CompleteChatAsync(messages, none);
        Assert.Equal(ChatFinishReason.Length, answer.FinishReason); // random weights: text until max tokens
        Assert.Empty(answer.ToolCalls);
        ChatCompletion first = await Client.CompleteChatAsync(messages[..1], none);
        Assert.True(answer.Usage.InputTokenCount > first.Usage.InputTokenCount + 10, "the call and its result are in the second prompt");
    }

    [Fact]
    public async Task The_client_reads_a_streamed_call_the_same_as_a_whole_one()
    {
        List<ChatMessage> messages = [new UserChatMessage("What time is it?")];
        ChatCompletion whole = await Client.CompleteChatAsync(messages, Options(ChatToolChoice.CreateRequiredChoice()));
        var expected = Assert.Single(whole.ToolCalls);

        string? id = null, name = null;
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Client.CompleteChatStreamingAsync(messages, Options(ChatToolChoice.CreateRequiredChoice())))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                Assert.Equal(0, part.Index);
                id ??= part.ToolCallId;
                name ??= part.FunctionName;
                arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }

            Assert.DoesNotContain(update.ContentUpdate, c => c.Text.Length > 0);
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.StartsWith("call_", id);
        Assert.Equal(expected.FunctionName, name);
        Assert.Equal(expected.FunctionArguments.ToString(), arguments.ToString());
        ToolSchemas.AssertValid(name!, arguments.ToString());
    }
}
