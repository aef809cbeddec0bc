using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace Fleet.Agent.Bench;

/// <summary>
/// Prefill with and without the prompt cache: the same long prompt twice (max_tokens 1), then a prompt sharing its
/// beginning. Prints wall time and usage.prompt_tokens_details.cached_tokens of each; asserts nothing.
/// </summary>
internal static class PromptCacheBench
{
    public static async Task RunAsync(AgentProcess agent, int words)
    {
        string[] counting = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
        // "hello" first: no earlier request (the throughput runs prompt "one two three" and generate the count) shares it.
        var prompt = "hello " + string.Join(" ", Enumerable.Range(0, words).Select(i => counting[i % 10]));
        foreach (var (label, text) in new[] { ("cold", prompt), ("same prompt", prompt), ("prefix + 10 words", prompt + " one two three four five six seven eight nine ten") })
        {
            var clock = Stopwatch.StartNew();
            using var response = await agent.Http.PostAsJsonAsync("v1/completions", new { prompt = text, max_tokens = 1, temperature = 0 });
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var usage = doc.RootElement.GetProperty("usage");
            Console.WriteLine($"prompt cache, {label,-18}: {clock.Elapsed.TotalMilliseconds,8:F1} ms, prompt_tokens " +
                              $"{usage.GetProperty("prompt_tokens").GetInt32()}, cached_tokens " +
                              $"{usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32()}");
        }
    }
}
