using System.Text.Json;

namespace Fleet.Agent.Tests.Support;

/// <summary>Reads an SSE body as OpenAI streams it: the JSON of each <c>data:</c> event, and whether [DONE] came last.</summary>
public static class Sse
{
    public static async Task<(List<JsonElement> Events, bool Done)> ReadAllAsync(HttpResponseMessage response)
    {
        var events = new List<JsonElement>();
        var done = false;
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
            var data = line["data: ".Length..];
            Assert.False(done, "an event came after [DONE]");
            if (data == "[DONE]") done = true;
            else events.Add(JsonDocument.Parse(data).RootElement.Clone());
        }

        return (events, done);
    }
}
