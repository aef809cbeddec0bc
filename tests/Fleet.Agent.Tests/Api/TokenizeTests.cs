using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Api;

/// <summary>/tokenize and /detokenize (llama-server's shapes) through real HTTP on the scripted model.</summary>
public sealed class TokenizeTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private HttpClient Http => fixture.Agent.Http;

    [Theory]
    [InlineData("one two three")]
    [InlineData("hello world, one two")]
    public async Task Tokenize_then_detokenize_gives_the_text_back(string text)
    {
        using var tokenized = await PostOkAsync("tokenize", new { content = text });
        var ids = tokenized.RootElement.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.NotEmpty(ids);
        using var detokenized = await PostOkAsync("detokenize", new { tokens = ids });
        Assert.Equal(text, detokenized.RootElement.GetProperty("content").GetString());
    }

    [Fact]
    public async Task Scripted_prompt_has_three_tokens_and_add_special_adds_bos()
    {
        using var plain = await PostOkAsync("tokenize", new { content = "one two three" });
        using var special = await PostOkAsync("tokenize", new { content = "one two three", add_special = true });
        var a = plain.RootElement.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var b = special.RootElement.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(3, a.Length); // ▁one ▁two ▁three
        Assert.Equal(4, b.Length); // <s> first, as /v1/completions counts prompt_tokens
        Assert.Equal(a, b[1..]);
    }

    [Fact]
    public async Task With_pieces_the_pieces_concatenate_to_the_text()
    {
        const string text = "one two three four";
        using var doc = await PostOkAsync("tokenize", new { content = text, with_pieces = true });
        var tokens = doc.RootElement.GetProperty("tokens").EnumerateArray().ToArray();
        Assert.Equal(4, tokens.Length);
        Assert.All(tokens, t => Assert.True(t.GetProperty("id").GetInt32() >= 0));
        var joined = string.Concat(tokens.Select(t => t.GetProperty("piece").GetString()));
        // Raw pieces, as llama-server gives them: a SentencePiece vocabulary's first word carries its leading space
        // (llama.cpp adds it when tokenizing); /detokenize drops it again.
        Assert.Equal(" " + text, joined);
    }

    [Fact]
    public async Task Control_token_text_in_content_stays_plain_text()
    {
        using var doc = await PostOkAsync("tokenize", new { content = "<|im_start|>", with_pieces = true });
        var tokens = doc.RootElement.GetProperty("tokens").EnumerateArray().ToArray();
        Assert.True(tokens.Length > 1, "special tokens must be parsed off: the marker is several ordinary tokens");
        Assert.DoesNotContain(tokens, t => t.GetProperty("piece").GetString() == "<|im_start|>");
    }

    [Theory]
    [InlineData("{\"tokens\":[1,2,99999999]}")]
    [InlineData("{\"tokens\":[-1]}")]
    [InlineData("{\"tokens\":[1.5]}")]
    [InlineData("{\"tokens\":[\"a\"]}")]
    [InlineData("{\"tokens\":[1e30]}")]
    [InlineData("{\"tokens\":\"one\"}")]
    [InlineData("{}")]
    public async Task Bad_token_ids_are_400_naming_tokens(string body)
    {
        var error = await PostErrorAsync("detokenize", body, HttpStatusCode.BadRequest);
        Assert.Equal("tokens", error.GetProperty("param").GetString());
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("tokenize", "{\"content\":\"a\",\"add_bos\":true}", "add_bos")]
    [InlineData("tokenize", "{\"content\":\"a\",\"Content\":\"b\"}", "Content")]
    [InlineData("detokenize", "{\"tokens\":[1],\"special\":false}", "special")]
    public async Task Unknown_fields_are_400_unsupported_parameter(string path, string body, string param)
    {
        var error = await PostErrorAsync(path, body, HttpStatusCode.BadRequest);
        Assert.Equal("unsupported_parameter", error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"content\":5}")]
    [InlineData("{\"content\":[\"a\"]}")]
    public async Task Content_must_be_a_string(string body)
    {
        var error = await PostErrorAsync("tokenize", body, HttpStatusCode.BadRequest);
        Assert.Equal("content", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Over_long_content_is_refused_quickly_before_tokenizing()
    {
        var content = string.Concat(Enumerable.Repeat("one two three ", fixture.Agent.Engine.MaxPromptBytes / 14 + 10));
        var watch = Stopwatch.StartNew();
        var error = await PostErrorAsync("tokenize", JsonSerializer.Serialize(new { content }), HttpStatusCode.BadRequest);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("content", error.GetProperty("param").GetString());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Too_many_token_ids_are_refused()
    {
        var ids = Enumerable.Repeat(5, fixture.Agent.Engine.MaxPromptBytes + 3).ToArray();
        var error = await PostErrorAsync("detokenize", JsonSerializer.Serialize(new { tokens = ids }), HttpStatusCode.BadRequest);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("tokens", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task An_array_of_more_prompts_than_the_agent_takes_is_a_clear_400_naming_prompt()
    {
        var prompts = JsonSerializer.Serialize(Enumerable.Repeat("hello", 300));
        var error = await PostErrorAsync("v1/completions", $"{{\"prompt\":{prompts},\"max_tokens\":2}}", HttpStatusCode.BadRequest);
        Assert.Equal("prompt", error.GetProperty("param").GetString());
        Assert.Contains("at most 256", error.GetProperty("message").GetString());
    }

    private async Task<JsonDocument> PostOkAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        return JsonDocument.Parse(json);
    }

    private async Task<JsonElement> PostErrorAsync(string path, string body, HttpStatusCode status)
    {
        using var response = await Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, json);
        return JsonDocument.Parse(json).RootElement.GetProperty("error").Clone();
    }
}
