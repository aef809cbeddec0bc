using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>
/// Every request field is honoured (each shown to change the output on the scripted model) or answered 400
/// <c>unsupported_parameter</c> naming it: none is silently ignored. On the scripted model greedy text is exact, and at
/// temperature 1 the word logits are only ~1 apart, so unfiltered sampling wanders: filters and penalties show.
/// </summary>
public sealed class RequestFieldsTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private const string Greedy12 = " four five six seven eight nine ten one two three four five";
    private HttpClient Http => fixture.Agent.Http;

    [Fact]
    public async Task Seed_repeats_the_same_text_and_another_seed_changes_it()
    {
        var texts = new List<string>();
        for (var seed = 1; seed <= 4; seed++)
        {
            var a = await TextAsync(new { prompt = "one two three", max_tokens = 12, temperature = 1, top_k = 0, min_p = 0, seed });
            var b = await TextAsync(new { prompt = "one two three", max_tokens = 12, temperature = 1, top_k = 0, min_p = 0, seed });
            Assert.Equal(a, b);
            texts.Add(a);
        }

        Assert.True(texts.Distinct().Count() > 1, "different seeds must give different samples: " + string.Join(" | ", texts));
    }

    [Fact]
    public async Task Temperature_zero_is_greedy_and_temperature_one_samples()
    {
        Assert.Equal(Greedy12, await TextAsync(new { prompt = "one two three", max_tokens = 12, temperature = 0, seed = 7 }));
        Assert.NotEqual(Greedy12, await TextAsync(new { prompt = "one two three", max_tokens = 12, temperature = 1, top_k = 0, min_p = 0, seed = 7 }));
    }

    [Theory]
    [InlineData("top_k", 1)]
    [InlineData("min_p", 1)]
    [InlineData("top_p", 0.0001)]
    public async Task A_filter_that_keeps_only_the_best_token_equals_greedy_at_temperature_one(string field, double value)
    {
        var body = new Dictionary<string, object>
        {
            ["prompt"] = "one two three", ["max_tokens"] = 12, ["temperature"] = 1, ["top_k"] = 0, ["min_p"] = 0, ["seed"] = 7,
        };
        body[field] = value;
        Assert.Equal(Greedy12, await TextAsync(body));
    }

    [Fact]
    public async Task Logit_bias_forces_and_bans_tokens()
    {
        var nine = ScriptedModel.TokenId("\u2581nine");
        var four = ScriptedModel.TokenId("\u2581four");
        Assert.Equal(" nine nine nine", await TextAsync(new Dictionary<string, object>
        {
            ["prompt"] = "one two three", ["max_tokens"] = 3, ["temperature"] = 0,
            ["logit_bias"] = new Dictionary<string, int> { [nine.ToString()] = 100 },
        }));
        var banned = await TextAsync(new Dictionary<string, object>
        {
            ["prompt"] = "one two three", ["max_tokens"] = 1, ["temperature"] = 0,
            ["logit_bias"] = new Dictionary<string, int> { [four.ToString()] = -100 },
        });
        Assert.NotEqual(" four", banned);
    }

    [Theory]
    [InlineData("presence_penalty", 2)]
    [InlineData("frequency_penalty", 2)]
    [InlineData("repeat_penalty", 10)]
    public async Task Penalties_stop_a_generated_word_from_repeating(string field, double value)
    {
        // The scripted successor wins by a logit margin of ~8; a bias of -6 on " four" leaves it the greedy choice (the
        // baseline below proves it) but within reach of a penalty of 2.
        var bias = new Dictionary<string, int> { [ScriptedModel.TokenId("\u2581four").ToString()] = -6 };
        var body = new Dictionary<string, object> { ["prompt"] = "one two three", ["max_tokens"] = 12, ["temperature"] = 0, ["logit_bias"] = bias };
        Assert.Equal(Greedy12, await TextAsync(body));
        body[field] = value;
        var text = await TextAsync(body);
        // the first 10 words are all new; the 11th (" four") was generated before, so the penalty must change it
        Assert.StartsWith(" four five six seven eight nine ten one two three", text);
        Assert.NotEqual(Greedy12, text);
    }

    [Fact]
    public async Task Max_completion_tokens_limits_a_chat_answer_like_max_tokens()
    {
        using var response = await Http.PostAsJsonAsync("v1/chat/completions",
            new { messages = new[] { new { role = "user", content = "hi" } }, max_completion_tokens = 1, temperature = 0 });
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        using var doc = JsonDocument.Parse(json);
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal("Hi", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Max_tokens_and_max_completion_tokens_that_differ_are_400_naming_both()
    {
        var error = await AgentCallsJson.PostBadAsync(Http, "v1/chat/completions",
            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2,\"max_completion_tokens\":3}");
        Assert.Equal("max_completion_tokens", error.GetProperty("param").GetString());
        Assert.Contains("max_tokens and max_completion_tokens", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("v1/completions", "{\"prompt\":\"x\",\"frobnicate\":1}", "frobnicate")]
    [InlineData("v1/completions", "{\"prompt\":\"x\",\"Max_Tokens\":1}", "Max_Tokens")]
    [InlineData("v1/completions", "{\"prompt\":\"x\",\"echo\":true}", "echo")]
    [InlineData("v1/completions", "{\"prompt\":\"x\",\"best_of\":2}", "best_of")]
    [InlineData("v1/completions", "{\"prompt\":\"x\",\"suffix\":\"y\"}", "suffix")]
    [InlineData("v1/completions", "{\"prompt\":\"x\",\"stream\":true,\"stream_options\":{\"include_obfuscation\":true}}", "stream_options.include_obfuscation")]
    [InlineData("v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"functions\":[]}", "functions")]
    [InlineData("v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"name\":\"bob\"}]}", "messages[0].name")]
    public async Task A_field_the_agent_does_not_honour_is_answered_400_naming_it(string path, string body, string param)
    {
        using var response = await Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, json);
        using var doc = JsonDocument.Parse(json);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("unsupported_parameter", error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.StartsWith($"{param} is not supported", error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("{\"prompt\":\"x\",\"logit_bias\":{\"abc\":1}}", "logit_bias")]
    [InlineData("{\"prompt\":\"x\",\"logit_bias\":{\"99999999\":1}}", "logit_bias")]
    [InlineData("{\"prompt\":\"x\",\"logit_bias\":{\"5\":101}}", "logit_bias")]
    [InlineData("{\"prompt\":\"x\",\"top_k\":-1}", "top_k")]
    [InlineData("{\"prompt\":\"x\",\"min_p\":2}", "min_p")]
    [InlineData("{\"prompt\":\"x\",\"presence_penalty\":3}", "presence_penalty")]
    [InlineData("{\"prompt\":\"x\",\"repeat_penalty\":0}", "repeat_penalty")]
    public async Task Out_of_range_sampling_values_are_400_naming_the_field(string body, string param)
    {
        using var response = await Http.PostAsync("v1/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, json);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(param, doc.RootElement.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Standard_fields_set_to_their_neutral_values_are_accepted()
    {
        var text = await TextAsync(new Dictionary<string, object?>
        {
            ["model"] = "anything", ["prompt"] = "one two three", ["max_tokens"] = 3, ["temperature"] = 0, ["user"] = "u-1",
            ["n"] = 1, ["best_of"] = 1, ["echo"] = false, ["logprobs"] = null, ["suffix"] = null, ["stream"] = false,
        });
        Assert.Equal(" four five six", text);
    }

    [Fact]
    public async Task Chat_accepts_logprobs_false_and_top_logprobs_zero()
    {
        using var response = await Http.PostAsJsonAsync("v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 8, temperature = 0, logprobs = false, top_logprobs = 0,
        });
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("Hi there", doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    private async Task<string> TextAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("v1/completions", body);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!;
    }
}
