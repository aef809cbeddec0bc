using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fleet.Agent.Tests.Hardening;

/// <summary>Requests the hardening tests send, and the OpenAI error shape they expect back.</summary>
internal static class AgentCalls
{
    public static Task<HttpResponseMessage> ChatAsync(HttpClient http, string content, string role = "user", CancellationToken ct = default) =>
        http.PostAsJsonAsync("v1/chat/completions",
            new { messages = new[] { new { role, content } }, max_tokens = 1, temperature = 0 }, ct);

    public static Task<HttpResponseMessage> CompleteAsync(HttpClient http, string prompt, CancellationToken ct = default) =>
        http.PostAsJsonAsync("v1/completions", new { prompt, max_tokens = 1, temperature = 0 }, ct);

    public static async Task<int> PromptTokensAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
    }

    /// <summary>Asserts the status and the four-field OpenAI error body; returns the error object.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        var error = doc.RootElement.GetProperty("error").Clone();
        Assert.Equal(["message", "type", "param", "code"], error.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("System.", body);
        Assert.DoesNotContain("Exception", body);
        return error;
    }
}
