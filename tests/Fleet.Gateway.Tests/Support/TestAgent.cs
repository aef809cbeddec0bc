using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Registry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Fleet.Gateway.Tests.Support;

/// <summary>
/// A small stand-in for the node agent on 127.0.0.1:0: serves OpenAI-shaped JSON and SSE answers that name the node,
/// and heartbeats into a gateway per the DESIGN §5 contract when the test says so (no timers).
/// </summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _sequence;

    private TestAgent(WebApplication app, string name, string pool, string model, int slots)
    {
        _app = app;
        Name = name;
        Pool = pool;
        Model = model;
        Slots = slots;
        Credential = $"node-secret-{name}-{Guid.NewGuid():N}";
    }

    public string Name { get; }
    public string Pool { get; }
    public string Model { get; set; }
    public int Slots { get; set; }
    public int ReportedBusy { get; set; }
    public int ReportedQueue { get; set; }
    public string State { get; set; } = "ready";
    public string Credential { get; }
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Tokens each JSON answer reports in <c>usage.total_tokens</c>.</summary>
    public int UsageTokens { get; set; } = 8;

    /// <summary>Whether streams honour <c>stream_options.include_usage</c> (a node that never reports usage when false).</summary>
    public bool ReportsUsage { get; set; } = true;

    /// <summary>The <c>stream_options</c> of each streamed request as the node received it (null for JSON requests).</summary>
    public ConcurrentQueue<string?> StreamRequests { get; } = new();

    /// <summary>When set, every completion is answered with this status and an empty body.</summary>
    public int? AnswerStatus { get; set; }

    /// <summary>Content chunks per streamed answer.</summary>
    public int StreamChunks { get; set; } = 3;

    /// <summary>While set, answers wait on it (streams after their first chunk).</summary>
    public TaskCompletionSource? Hold { get; set; }

    public int Served => Received.Count;
    public ConcurrentQueue<string?> Received { get; } = new();
    public ConcurrentQueue<string?> Prompts { get; } = new();
    public ConcurrentQueue<string?> AuthorizationHeaders { get; } = new();
    public ConcurrentQueue<string?> Queries { get; } = new();
    public ConcurrentQueue<string> Protocols { get; } = new();

    public static async Task<TestAgent> StartAsync(string name, string pool = "cpu", string model = "tiny", int slots = 4, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = protocols));
        var app = builder.Build();
        var agent = new TestAgent(app, name, pool, model, slots);
        app.MapPost("/v1/chat/completions", c => agent.AnswerAsync(c, chat: true));
        app.MapPost("/v1/completions", c => agent.AnswerAsync(c, chat: false));
        app.MapPost("/v1/embeddings", agent.EmbedAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        agent.Endpoint = new Uri(address);
        return agent;
    }

    /// <summary>The node's entry for the gateway's nodes file.</summary>
    public object NodesFileEntry => new { node = Name, pool = Pool, sha256 = SecretHash.HexOf(Credential) };

    /// <summary>
    /// Sends one heartbeat; the overrides let a test lie about identity, address or sequence, and <paramref name="edit"/>
    /// changes the JSON body itself (any value, of any type) as an attacker could.
    /// </summary>
    public async Task<HttpResponseMessage> BeatAsync(Uri gateway, string? credential = null, string? node = null, string? pool = null, Uri? endpoint = null,
        long? sequence = null, string? instance = null, Action<JsonObject>? edit = null, Action<HttpRequestMessage>? request = null)
    {
        using var http = new HttpClient { BaseAddress = gateway };
        var body = new Heartbeat(node ?? Name, pool ?? Pool, "test-1.0", sequence ?? Interlocked.Increment(ref _sequence), State, (endpoint ?? Endpoint).ToString(),
            new HeartbeatModel(Model, "ab12", State != "loading"), "cpu", [new HeartbeatGpu("none", 0, 0, 0)],
            new HeartbeatSlots(Slots, ReportedBusy), new HeartbeatQueue(ReportedQueue), 42.5, 120, instance);
        var json = JsonSerializer.SerializeToNode(body, new JsonSerializerOptions(JsonSerializerDefaults.Web))!.AsObject();
        edit?.Invoke(json);
        using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/agents/heartbeat")
        {
            Content = new StringContent(json.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new("Bearer", credential ?? Credential);
        request?.Invoke(message);
        var response = await http.SendAsync(message);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>The sequence number the next heartbeat will carry, minus one.</summary>
    public long Sequence => Interlocked.Read(ref _sequence);

    /// <summary>Sends a heartbeat that must be accepted, and returns the reply.</summary>
    public async Task<HeartbeatReply> BeatOkAsync(Uri gateway)
    {
        using var response = await BeatAsync(gateway);
        Assert.True(response.IsSuccessStatusCode, $"heartbeat of {Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<HeartbeatReply>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }

    /// <summary>Fires after each request arrives (and is counted in <see cref="Received"/>).</summary>
    public Fleet.Gateway.Routing.Pulse Arrived { get; } = new();

    public async Task StopAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    /// <summary>Tokens each embeddings answer reports in <c>usage.prompt_tokens</c> (and <c>total_tokens</c>).</summary>
    public int EmbeddingTokens { get; set; } = 5;

    // OpenAI's embeddings shape: one two-dimensional unit vector per input.
    private async Task EmbedAsync(HttpContext context)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body);
        Received.Enqueue(request?["model"]?.GetValue<string>());
        Prompts.Enqueue(request?["input"]?.ToJsonString());
        AuthorizationHeaders.Enqueue(context.Request.Headers.Authorization.ToString());
        Arrived.Fire();
        if (Hold is { } hold) await hold.Task;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$$"""
            {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.6,0.8]}],"model":"{{{Model}}}","usage":{"prompt_tokens":{{{EmbeddingTokens}}},"total_tokens":{{{EmbeddingTokens}}}}}
            """);
    }

    private async Task AnswerAsync(HttpContext context, bool chat)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body);
        var stream = request?["stream"]?.GetValue<bool>() ?? false;
        var includeUsage = request?["stream_options"]?["include_usage"]?.GetValue<bool>() ?? false;
        Received.Enqueue(request?["model"]?.GetValue<string>());
        Prompts.Enqueue(request?["messages"]?[0]?["content"]?.GetValue<string>() ?? request?["prompt"]?.GetValue<string>());
        AuthorizationHeaders.Enqueue(context.Request.Headers.Authorization.ToString());
        Queries.Enqueue(context.Request.QueryString.Value);
        Protocols.Enqueue(context.Request.Protocol);
        Arrived.Fire();
        if (AnswerStatus is { } status)
        {
            context.Response.StatusCode = status; // and no body
            return;
        }
        var hold = Hold;
        var prompt = request?["messages"]?[0]?["content"]?.GetValue<string>() ?? request?["prompt"]?.GetValue<string>() ?? "";
        var promptTokens = Math.Max(3, prompt.Length / 4);
        var completionTokens = UsageTokens - 3;
        var usage = $$"""{"prompt_tokens":{{promptTokens}},"completion_tokens":{{completionTokens}},"total_tokens":{{promptTokens + completionTokens}}}""";
        StreamRequests.Enqueue(stream ? request!["stream_options"]?.ToJsonString() : null);

        if (!stream)
        {
            if (hold is not null) await hold.Task;
            var text = $"hello from {Name}";
            var choice = chat
                ? $$"""{"index":0,"message":{"role":"assistant","content":"{{text}}"},"finish_reason":"stop"}"""
                : $$"""{"index":0,"text":"{{text}}","finish_reason":"stop"}""";
            var json = $$$"""{"id":"cmpl-1","object":"{{{(chat ? "chat.completion" : "text_completion")}}}","created":1700000000,"model":"{{{Model}}}","choices":[{{{choice}}}],"usage":{{{usage}}}}""";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        for (var i = 0; i < StreamChunks; i++)
        {
            var piece = i == 0 ? "hello" : i == StreamChunks - 1 ? $" {Name}" : " from";
            await Event(context, Chunk(chat, piece, null));
            if (i == 0 && hold is not null) await hold.Task;
        }
        await Event(context, Chunk(chat, "", "\"stop\""));
        if (includeUsage && ReportsUsage)
            await Event(context, $$$"""{"id":"cmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"{{{Model}}}","choices":[],"usage":{{{usage}}}}""");
        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private string Chunk(bool chat, string text, string? finish)
    {
        var choice = chat
            ? $$"""{"index":0,"delta":{"content":{{JsonSerializer.Serialize(text)}}},"finish_reason":{{finish ?? "null"}}}"""
            : $$"""{"index":0,"text":{{JsonSerializer.Serialize(text)}},"finish_reason":{{finish ?? "null"}}}""";
        return $$"""{"id":"cmpl-1","object":"{{(chat ? "chat.completion.chunk" : "text_completion")}}","created":1700000000,"model":"{{Model}}","choices":[{{choice}}]}""";
    }

    private static async Task Event(HttpContext context, string json)
    {
        await context.Response.WriteAsync($"data: {json}\n\n", Encoding.UTF8);
        await context.Response.Body.FlushAsync();
    }
}
