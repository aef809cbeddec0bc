using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fleet.Stacks.Tests.Support;
using OpenAI;
using OpenAI.Chat;
using Xunit.Abstractions;

namespace Fleet.Stacks.Tests.EndToEnd;

/// <summary>
/// Scale from zero with every part real except the cloud: a real gateway configured for model <c>tiny</c> whose only
/// pool (<c>burst</c>, <c>min: 0</c>, autoscaled) has no node; the real control service watching it every 200 ms and
/// driving the fake <c>pulumi</c>, whose <c>up</c> starts a real agent process for the node it creates; clients (the
/// official OpenAI .NET client and raw SSE) sending at the empty pool. Waits are for events, never for a time.
/// </summary>
public sealed class ScaleFromZeroEndToEndTests(ITestOutputHelper output)
{
    private const string EmptyBurst = """{"cpu":{"size":"c-8","gpu":false,"nodes":["1"]},"burst":{"size":"c-4","gpu":false,"nodes":[]}}""";
    private const string Node = "fleet-prod-burst-n1";

    /// <summary>Far above what a cold start takes here (seconds), far below the gateway's 5-minute hold.</summary>
    private static readonly TimeSpan FirstTokenBound = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Requests_at_an_empty_pool_are_each_answered_once_by_the_one_node_the_held_demand_starts()
    {
        await using var fleet = await Rig.StartAsync(TimeSpan.FromMinutes(5), agents: true);
        var chat = new ChatClient(AgentProcesses.Model, new ApiKeyCredential(fleet.Gateway.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(fleet.Gateway.Url, "v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0), // a retried request would hide a lost one and count twice
            NetworkTimeout = TimeSpan.FromMinutes(5),
        });
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 8 };

        var arrivedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var arrived = Stopwatch.StartNew();
        var requests = new List<Task<(string Via, string Text, TimeSpan FirstToken)>>
        {
            Timed("openai", async () => (await chat.CompleteChatAsync([new UserChatMessage("hello")], options)).Value.Content[0].Text),
            Timed("openai", async () => (await chat.CompleteChatAsync([new UserChatMessage("hello")], options)).Value.Content[0].Text),
            OpenAiStreamAsync(chat, options, arrived),
            OpenAiStreamAsync(chat, options, arrived),
            RawStreamAsync(fleet.Gateway, arrived),
            RawStreamAsync(fleet.Gateway, arrived),
        };
        async Task<(string, string, TimeSpan)> Timed(string via, Func<Task<string>> send)
        {
            var text = await send();
            return (via, text, arrived.Elapsed);
        }

        var answers = await Task.WhenAll(requests);

        foreach (var (via, text, firstToken) in answers)
            output.WriteLine($"{via,-14} arrival → first token {firstToken.TotalSeconds:0.00} s");
        foreach (var call in fleet.Project.Calls())
            output.WriteLine($"+{(call.StartedAtMs - arrivedAt) / 1000.0:0.00} s  pulumi {string.Join(' ', call.Argv.Take(2))}");
        foreach (var start in fleet.Agents.Log().Select(l => l.Split(' ')).Where(p => p[0] == "start"))
            output.WriteLine($"+{(long.Parse(start[3], System.Globalization.CultureInfo.InvariantCulture) - arrivedAt) / 1000.0:0.00} s  agent process {start[1]} started");
        if ((await fleet.Gateway.NodesAsync())[Node]["registeredAt"]?.GetValue<DateTimeOffset>() is { } registered)
            output.WriteLine($"+{(registered.ToUnixTimeMilliseconds() - arrivedAt) / 1000.0:0.00} s  {Node}'s first heartbeat accepted");
        var slowest = answers.Max(a => a.FirstToken);
        output.WriteLine($"cold start: {answers.Length} requests at an empty pool, slowest arrival → first token {slowest.TotalSeconds:0.00} s (bound {FirstTokenBound.TotalSeconds:0} s)");
        Assert.All(answers, a => Assert.Contains("Hi there", a.Text));
        Assert.True(slowest < FirstTokenBound, $"the slowest request waited {slowest} for its first token; agent log:\n{fleet.Agents.Output(Node)}");

        // Counted at the agent: every request arrived there once (none lost on the way, none sent twice).
        var agent = (await fleet.Gateway.NodesAsync())[Node];
        var metrics = await new HttpClient().GetStringAsync(new Uri(new Uri(agent["endpoint"]!.GetValue<string>()), "metrics"));
        var counted = Regex.Matches(metrics, @"^fleet_agent_requests_total\{endpoint=""([^""]+)"",status=""(\d+)""\} (\d+)$", RegexOptions.Multiline)
            .Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value} {m.Groups[3].Value}").ToArray();
        Assert.Equal([$"chat_completions 200 {answers.Length}"], counted);

        // The fake cloud: one `up`, which added one node and started one agent.
        Assert.Single(fleet.Project.Ups());
        Assert.Equal(["n1"], fleet.Project.DeployedNodes("burst"));
        Assert.Equal([$"start {Node}"], fleet.Agents.Log().Select(l => string.Join(' ', l.Split(' ').Take(2))));
        Assert.Equal(0, (await fleet.Gateway.LoadAsync())["held"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_request_that_outlives_the_hold_bound_gets_503_model_not_ready_with_Retry_After()
    {
        // The up succeeds but starts no agent (no agents.json): the server never comes up.
        await using var fleet = await Rig.StartAsync(TimeSpan.FromSeconds(3), agents: false);
        using var http = fleet.Gateway.Client();

        using var refused = await http.PostAsync("v1/chat/completions", ChatBody(stream: false));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        var error = (await refused.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("model_not_ready", error["code"]!.GetValue<string>());
        // The held request did start a node (the autoscaler's up), which never became ready.
        await Eventually.TrueAsync(() => fleet.Project.DeployedNodes("burst").SequenceEqual(["n1"]), "the cold start's up");
        Assert.Single(fleet.Project.Ups());
        Assert.Empty(await fleet.Gateway.NodesAsync());
        Assert.Equal(0, (await fleet.Gateway.LoadAsync())["held"]!.GetValue<int>());
    }

    private static async Task<(string, string, TimeSpan)> OpenAiStreamAsync(ChatClient chat, ChatCompletionOptions options, Stopwatch arrived)
    {
        var text = new StringBuilder();
        TimeSpan? first = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("hello")], options))
            foreach (var part in update.ContentUpdate)
            {
                first ??= arrived.Elapsed;
                text.Append(part.Text);
            }
        return ("openai-stream", text.ToString(), first ?? arrived.Elapsed);
    }

    private static async Task<(string, string, TimeSpan)> RawStreamAsync(RealGateway gateway, Stopwatch arrived)
    {
        using var http = gateway.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = ChatBody(stream: true) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new StringBuilder();
        TimeSpan? first = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal) || line == "data: [DONE]") continue;
            var content = JsonNode.Parse(line["data: ".Length..])!["choices"]?.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>();
            if (string.IsNullOrEmpty(content)) continue;
            first ??= arrived.Elapsed;
            text.Append(content);
        }
        return ("raw-sse", text.ToString(), first ?? arrived.Elapsed);
    }

    private static StringContent ChatBody(bool stream) => new(
        $$"""{"model":"{{AgentProcesses.Model}}","max_tokens":8,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hello"}]}""",
        Encoding.UTF8, "application/json");

    /// <summary>The gateway, the control service over a stack whose <c>burst</c> pool is empty, and the agents the fake starts.</summary>
    private sealed record Rig(TestProject Project, RealGateway Gateway, TestService Service, AgentProcesses Agents) : IAsyncDisposable
    {
        public static async Task<Rig> StartAsync(TimeSpan holdBound, bool agents)
        {
            var project = new TestProject(TestProject.ProdYaml.Replace("nodes: [\"a1\", \"a2\"]", "nodes: []").Replace("min: 1", "min: 0"));
            File.WriteAllText(Path.Combine(project.Control, "deployed.prod.json"), EmptyBurst);
            var gateway = await RealGateway.StartAsync([AgentProcesses.Model], holdBound);
            var processes = new AgentProcesses(project, gateway);
            if (agents) processes.Enable();
            var service = await TestService.StartAsync(TestService.DefaultOptions(project, gateway.Url) with { WatchInterval = TimeSpan.FromMilliseconds(200) });
            return new Rig(project, gateway, service, processes);
        }

        public async ValueTask DisposeAsync()
        {
            Agents.Dispose();
            await Service.DisposeAsync();
            await Gateway.DisposeAsync();
            Project.Dispose();
        }
    }
}
