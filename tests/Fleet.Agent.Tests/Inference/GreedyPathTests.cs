using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fleet.Agent.Tests.Support;

namespace Fleet.Agent.Tests.Inference;

/// <summary>
/// Greedy requests take llama.cpp's greedy sampler, and every decode step batches all slots on the loop's own thread:
/// neither may change a token. A logit bias of 0 changes no logit but sends the request through the full sampler chain,
/// so the two paths must agree; streams decoded together must equal the same streams decoded alone.
/// </summary>
public sealed class GreedyPathTests(AgentFixture fixture) : IClassFixture<AgentFixture>
{
    private static readonly string[] Prompts = ["one two three", "hello", "seven", "five six", "ten"];
    private HttpClient Http => fixture.Agent.Http;

    [Fact]
    public async Task The_greedy_sampler_and_the_full_chain_at_temperature_zero_give_the_same_text()
    {
        foreach (var prompt in Prompts)
        {
            var fast = await TextAsync(new Dictionary<string, object> { ["prompt"] = prompt, ["max_tokens"] = 30, ["temperature"] = 0 });
            var chain = await TextAsync(new Dictionary<string, object>
            {
                ["prompt"] = prompt,
                ["max_tokens"] = 30,
                ["temperature"] = 0,
                ["logit_bias"] = new Dictionary<string, int> { ["0"] = 0 },
            });
            Assert.False(string.IsNullOrEmpty(fast), $"prompt '{prompt}' generated nothing");
            Assert.Equal(chain, fast);
        }
    }

    [Fact]
    public async Task Streams_decoded_in_one_batch_equal_the_same_streams_decoded_alone()
    {
        var alone = new List<string>();
        foreach (var prompt in Prompts[..4]) alone.Add(await TextAsync(Body(prompt)));
        var together = await Task.WhenAll(Prompts[..4].Select(p => TextAsync(Body(p))));
        Assert.Equal(alone, together);
    }

    private static Dictionary<string, object> Body(string prompt) =>
        new() { ["prompt"] = prompt, ["max_tokens"] = 40, ["temperature"] = 0 };

    private async Task<string> TextAsync(object body)
    {
        using var response = await Http.PostAsJsonAsync("v1/completions", body);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json);
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!;
    }
}
