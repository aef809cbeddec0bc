using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Fleet.Gateway.Configuration;

namespace Fleet.Gateway.Tests.Support;

/// <summary>Test agents heartbeating into a real gateway, plus the client keys the gateway knows.</summary>
public sealed class TestFleet : IAsyncDisposable
{
    private TestFleet(TestGateway gateway, IReadOnlyList<TestAgent> agents, IReadOnlyList<TestKey> keys)
    {
        Gateway = gateway;
        Agents = agents;
        Keys = keys;
    }

    public TestGateway Gateway { get; }
    public IReadOnlyList<TestAgent> Agents { get; }
    public IReadOnlyList<TestKey> Keys { get; }
    public TestKey Key => Keys[0];

    public TestAgent this[string name] => Agents.Single(a => a.Name == name);

    /// <summary>Starts agents with the given slot counts (named a1, a2, ...), a gateway, and beats every agent once.</summary>
    public static async Task<TestFleet> StartAsync(int[] slots, TestKey[]? keys = null, Func<GatewayOptions, GatewayOptions>? configure = null)
    {
        var agents = new List<TestAgent>();
        for (var i = 0; i < slots.Length; i++) agents.Add(await TestAgent.StartAsync($"a{i + 1}", slots: slots[i]));
        keys ??= [new TestKey("team-a")];
        var gateway = await TestGateway.StartAsync(keys, agents, configure);
        var fleet = new TestFleet(gateway, agents, keys);
        await fleet.BeatAsync();
        return fleet;
    }

    /// <summary>One heartbeat from each named agent (all when none named).</summary>
    public async Task BeatAsync(params string[] names)
    {
        foreach (var agent in Agents.Where(a => names.Length == 0 || names.Contains(a.Name)))
            await agent.BeatOkAsync(Gateway.Address);
    }

    public HttpClient Client(TestKey? key = null) => Gateway.Client((key ?? Key).Secret);

    /// <summary>A chat completion request body.</summary>
    public static StringContent ChatBody(string model = "tiny", bool stream = false, string content = "hi") =>
        new($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"{{content}}"}]}""", Encoding.UTF8, "application/json");

    /// <summary>Sends a chat completion and returns the response, fully read.</summary>
    public async Task<HttpResponseMessage> ChatAsync(TestKey? key = null, string model = "tiny", bool stream = false, string content = "hi")
    {
        using var http = Client(key);
        var response = await http.PostAsync("/v1/chat/completions", ChatBody(model, stream, content));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Which node answered a non-streamed chat completion.</summary>
    public static async Task<string> ServedByAsync(HttpResponseMessage response)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonNode>();
        return json!["choices"]![0]!["message"]!["content"]!.GetValue<string>().Replace("hello from ", "");
    }

    public async Task<JsonNode> AdminGetAsync(string path)
    {
        using var http = Gateway.Admin();
        var response = await http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public async Task<JsonNode> AdminPostAsync(string path)
    {
        using var http = Gateway.Admin();
        var response = await http.PostAsync(path, null);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    public async Task<string> NodeStateAsync(string node) =>
        (await AdminGetAsync($"/admin/v1/nodes/{node}"))["state"]!.GetValue<string>();

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var agent in Agents) await agent.DisposeAsync();
    }
}
