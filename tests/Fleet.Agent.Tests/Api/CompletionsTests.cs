using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>/v1/completions through real HTTP on the scripted model (greedy, so the text is exact).</summary>
public sealed class CompletionsTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HttpClient Http => fixture.Agent.Http;

    [Fact]
    public async Task Completion_continues_the_scripted_sequence_with_usage()
    {
        using var doc = await PostAsync(new { prompt = "one two three", max_tokens = 5, temperature = 0 });
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal(" four five six seven eight", choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("text_completion", doc.RootElement.GetProperty("object").GetString());
        Assert.Equal("scripted", doc.RootElement.GetProperty("model").GetString());
        var usage = doc.RootElement.GetProperty("usage");
        Assert.Equal(4, usage.GetProperty("prompt_tokens").GetInt32()); // <s> ▁one ▁two ▁three
        Assert.Equal(5, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(9, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task End_of_generation_token_finishes_with_stop()
    {
        using var doc = await PostAsync(new { prompt = "hello", max_tokens = 50, temperature = 0 });
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal(" world", choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        // " world" and the end-of-generation token: llama-server counts every sampled token.
        Assert.Equal(2, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("seven", " four five six ")]
    [InlineData("r fi", " fou")] // spans two tokens: " four" + " five"
    public async Task Stop_sequence_ends_the_text_before_it(string stop, string expected)
    {
        using var doc = await PostAsync(new { prompt = "one two three", max_tokens = 20, temperature = 0, stop = new[] { "nothing", stop } });
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal(expected, choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Streaming_sends_the_same_text_in_chunks_then_usage_and_done()
    {
        using var response = await Http.PostAsJsonAsync("v1/completions",
            new { prompt = "one two three", max_tokens = 12, temperature = 0, stream = true, stream_options = new { include_usage = true } });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var (events, done) = await Sse.ReadAllAsync(response);
        Assert.True(done, "the stream must end with data: [DONE]");
        var text = new StringBuilder();
        foreach (var e in events.Where(e => e.GetProperty("choices").GetArrayLength() > 0))
            text.Append(e.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal(" four five six seven eight nine ten one two three four five", text.ToString());
        Assert.True(events.Count(e => e.GetProperty("choices").GetArrayLength() > 0) > 2, "text must arrive in several chunks");
        var finish = events.Last(e => e.GetProperty("choices").GetArrayLength() > 0).GetProperty("choices")[0].GetProperty("finish_reason");
        Assert.Equal("length", finish.GetString());
        var usage = events[^1].GetProperty("usage");
        Assert.Equal(12, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Concurrent_requests_all_get_their_own_exact_text()
    {
        var prompts = new (string Prompt, int Max, string Expected)[]
        {
            ("one two three", 3, " four five six"),
            ("hello", 10, " world"),
            ("five", 4, " six seven eight nine"),
            ("nine", 3, " ten one two"),
            ("one two three", 6, " four five six seven eight nine"),
            ("hello", 10, " world"),
            ("two", 2, " three four"),
            ("seven", 5, " eight nine ten one two"),
        };
        var answers = await Task.WhenAll(prompts.Select(async p =>
        {
            using var doc = await PostAsync(new { prompt = p.Prompt, max_tokens = p.Max, temperature = 0 });
            return doc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString();
        }));
        Assert.Equal(prompts.Select(p => p.Expected), answers);
    }

    [Fact]
    public async Task Seeded_sampling_is_repeatable()
    {
        async Task<string?> Sample()
        {
            using var doc = await PostAsync(new { prompt = "one two three", max_tokens = 8, temperature = 1.5, top_p = 0.9, seed = 1234 });
            return doc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString();
        }

        Assert.Equal(await Sample(), await Sample());
    }

    [Theory]
    [InlineData("{\"prompt\": 5}", "prompt")]
    [InlineData("{\"prompt\": \"x\", \"n\": 5}", "n must be between 1 and 4")]
    [InlineData("{\"prompt\": \"x\", \"temperature\": 3}", "temperature")]
    [InlineData("{\"prompt\": \"x\", \"max_tokens\": 0}", "max_tokens")]
    [InlineData("not json", "not valid JSON")]
    public async Task Invalid_requests_get_400_in_the_OpenAI_error_shape(string body, string messagePart)
    {
        using var response = await Http.PostAsync("v1/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Contains(messagePart, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Models_lists_the_served_model()
    {
        using var doc = JsonDocument.Parse(await Http.GetStringAsync("v1/models"));
        Assert.Equal("list", doc.RootElement.GetProperty("object").GetString());
        var model = Assert.Single(doc.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("scripted", model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Health_and_ready_answer_200_once_loaded()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("ready")).StatusCode);
    }

    private async Task<JsonDocument> PostAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("v1/completions", body);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        return JsonDocument.Parse(json);
    }
}
