using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// <c>tool_choice: auto</c> lets the model choose: on a random model whose vocabulary holds <c>&lt;tool_call&gt;</c> as
/// one token, biasing that token makes the model open a call, and the grammar then makes the call valid; without
/// the bias it answers text, streamed as content.
/// </summary>
public sealed class AutoToolChoiceTests : IAsyncLifetime
{
    private AgentHost _agent = null!;

    public async Task InitializeAsync() => _agent = await AgentHost.StartAsync(AgentHost.Env(
        ("FLEET_MODEL_PATH", ToolTokenModel.WriteTo(TestModels.NewPath("tool-token.gguf"))), ("FLEET_CONTEXT_SIZE", "16384")));

    public async Task DisposeAsync() => await _agent.DisposeAsync();

    private static Dictionary<string, object?> Body(bool bias, bool stream) => new()
    {
        ["messages"] = new[] { new { role = "user", content = "What time is it?" } },
        ["tools"] = ToolSchemas.Tools[1..], // get_time: no free string, where the biased token would be text too
        ["tool_choice"] = "auto",
        ["parallel_tool_calls"] = false,
        ["max_tokens"] = 120,
        ["temperature"] = 1,
        ["top_k"] = 0,
        ["min_p"] = 0,
        ["seed"] = 3,
        ["logit_bias"] = bias
            ? new Dictionary<string, int> { [ToolTokenModel.OpenerId.ToString(System.Globalization.CultureInfo.InvariantCulture)] = 100 }
            : new Dictionary<string, int> { ["34"] = 4 },
        ["stream"] = stream,
    };

    [Fact]
    public async Task A_model_that_opens_a_call_under_auto_writes_a_valid_one_whole_and_streamed()
    {
        var message = (await AgentCallsJson.PostOkAsync(_agent.Http, "v1/chat/completions", Body(bias: true, stream: false)))
            .GetProperty("choices")[0].GetProperty("message");
        var call = Assert.Single(message.GetProperty("tool_calls").EnumerateArray().ToList()).GetProperty("function");
        ToolSchemas.AssertValid(call.GetProperty("name").GetString()!, call.GetProperty("arguments").GetString()!);

        var (events, done) = await ReadAsync(Body(bias: true, stream: true));
        Assert.True(done);
        var streamed = events.SelectMany(e => e.GetProperty("choices").EnumerateArray())
            .Where(c => c.GetProperty("delta").TryGetProperty("tool_calls", out _))
            .Select(c => c.GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("function")).Single();
        Assert.Equal(call.GetProperty("name").GetString(), streamed.GetProperty("name").GetString());
        Assert.Equal(call.GetProperty("arguments").GetString(), streamed.GetProperty("arguments").GetString());
        Assert.Equal("tool_calls", Finish(events));
    }

    [Fact]
    public async Task A_model_that_answers_text_under_auto_streams_it_as_content()
    {
        var whole = (await AgentCallsJson.PostOkAsync(_agent.Http, "v1/chat/completions", Body(bias: false, stream: false)))
            .GetProperty("choices")[0].GetProperty("message");
        Assert.False(whole.TryGetProperty("tool_calls", out _));
        var text = whole.GetProperty("content").GetString()!;
        Assert.NotEmpty(text);

        var (events, done) = await ReadAsync(Body(bias: false, stream: true));
        Assert.True(done);
        var streamed = new StringBuilder();
        foreach (var c in events.SelectMany(e => e.GetProperty("choices").EnumerateArray()))
            if (c.GetProperty("delta").TryGetProperty("content", out var part)) streamed.Append(part.GetString());
        Assert.Equal(text, streamed.ToString());
        Assert.NotEqual("tool_calls", Finish(events));
    }

    private async Task<(List<JsonElement> Events, bool Done)> ReadAsync(object body)
    {
        using var response = await _agent.Http.PostAsJsonAsync("v1/chat/completions", body);
        return await Sse.ReadAllAsync(response);
    }

    private static string? Finish(List<JsonElement> events) => events.SelectMany(e => e.GetProperty("choices").EnumerateArray())
        .Select(c => c.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null)
        .LastOrDefault(f => f is not null);
}
