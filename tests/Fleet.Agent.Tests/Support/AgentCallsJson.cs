using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fleet.Agent.Tests.Support;

/// <summary>POSTs a JSON body and returns the parsed 200 answer (failing the test with the body otherwise).</summary>
public static class AgentCallsJson
{
    public static async Task<JsonElement> PostOkAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>POSTs and returns the error object of a 400 answer.</summary>
    public static async Task<JsonElement> PostBadAsync(HttpClient http, string path, string body)
    {
        using var response = await http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, json);
        return JsonDocument.Parse(json).RootElement.GetProperty("error").Clone();
    }
}
