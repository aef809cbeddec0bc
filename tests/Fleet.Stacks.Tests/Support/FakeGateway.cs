using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Fleet.Stacks.Tests.Support;

/// <summary>
/// The gateway's admin API on 127.0.0.1:0 (same paths and JSON shapes as gateway/Admin), with node states the test
/// sets. Every admin call is recorded with how many pulumi calls had happened by then, to check ordering.
/// </summary>
public sealed class FakeGateway : IAsyncDisposable
{
    public const string Token = "admin-token";
    private readonly WebApplication _app;
    private readonly Func<int> _pulumiCalls;

    public ConcurrentDictionary<string, FakeNode> Nodes { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Method, string Path, int PulumiCallsBefore)> Requests { get; } = new();

    public bool PartitionGuard { get; set; }

    /// <summary>Requests held per model id (scale from zero); a model listed here appears in <c>models</c> as configured.</summary>
    public ConcurrentDictionary<string, int> Held { get; } = new(StringComparer.Ordinal);

    private readonly System.Diagnostics.Stopwatch _started = System.Diagnostics.Stopwatch.StartNew();

    /// <summary>The gateway's request counter (<c>requestsForwarded</c>), plus <see cref="RequestsPerSecond"/> for every second since the fake started.</summary>
    public long RequestsForwarded { get; set; }

    public double RequestsPerSecond { get; set; }

    /// <summary>When set, <c>/admin/v1/load</c> answers this raw JSON instead (a malformed or foreign gateway).</summary>
    public string? LoadOverride { get; set; }

    private FakeGateway(WebApplication app, Func<int> pulumiCalls) => (_app, _pulumiCalls) = (app, pulumiCalls);

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeGateway> StartAsync(Func<int> pulumiCalls)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var gateway = new FakeGateway(app, pulumiCalls);
        gateway.Map(app);
        await app.StartAsync();
        gateway.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return gateway;
    }

    public FakeNode Node(string name, string pool, string state = "ready", int slots = 4) =>
        Nodes[name] = new FakeNode { Pool = pool, State = state, SlotsTotal = slots };

    private void Map(WebApplication app)
    {
        app.Use(async (c, next) =>
        {
            Requests.Enqueue((c.Request.Method, c.Request.Path.Value!, _pulumiCalls()));
            if (c.Request.Headers.Authorization != $"Bearer {Token}") { c.Response.StatusCode = 401; return; }
            await next();
        });
        app.MapGet("/admin/v1/load", () => LoadOverride is { } raw ? Results.Text(raw, "application/json") : Json(Load()));
        app.MapGet("/admin/v1/nodes", () => Json(new JsonObject
        {
            ["partitionGuard"] = PartitionGuard,
            ["nodes"] = new JsonArray(Nodes.OrderBy(n => n.Key, StringComparer.Ordinal).Select(n => (JsonNode)View(n.Key, n.Value)).ToArray()),
        }));
        app.MapPost("/admin/v1/nodes/{node}/drain", (string node) => Drain(node, true));
        app.MapPost("/admin/v1/nodes/{node}/undrain", (string node) => Drain(node, false));
    }

    private IResult Drain(string name, bool drain)
    {
        if (!Nodes.TryGetValue(name, out var node)) return Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "node_not_found" } }, statusCode: 404);
        lock (node)
        {
            node.DrainRequested = drain;
            if (drain && node.InFlight > 0) node.InFlight--; // each poll, one request finishes
            return Json(new JsonObject
            {
                ["node"] = name,
                ["state"] = drain ? "draining" : node.State,
                ["drainRequested"] = drain,
                ["drained"] = node.InFlight == 0,
                ["remaining"] = node.InFlight,
                ["inFlight"] = node.InFlight,
                ["agentBusy"] = 0,
                ["agentQueueDepth"] = 0,
            });
        }
    }

    private JsonObject Load()
    {
        var pools = Nodes.Where(n => n.Value.State != "dead").GroupBy(n => n.Value.Pool).Select(g =>
        {
            var ready = g.Where(n => n.Value.State == "ready").Select(n => n.Value).ToList();
            return (JsonNode)new JsonObject
            {
                ["pool"] = g.Key,
                ["readyNodes"] = ready.Count,
                ["nodes"] = g.Count(),
                ["slotsTotal"] = ready.Sum(n => n.SlotsTotal),
                ["slotsBusy"] = ready.Sum(n => n.SlotsBusy),
                ["queueDepth"] = g.Sum(n => n.Value.QueueDepth),
                ["inFlight"] = g.Sum(n => n.Value.InFlight),
                ["ttftP95Ms"] = ready.Count == 0 ? 0 : ready.Max(n => n.TtftP95Ms),
                ["tokensPerSecond"] = 10.0,
            };
        }).ToArray();
        return new JsonObject
        {
            ["readyNodes"] = pools.Sum(p => p!["readyNodes"]!.GetValue<int>()),
            ["nodes"] = Nodes.Count,
            ["slotsTotal"] = 0,
            ["slotsBusy"] = 0,
            ["queueDepth"] = 0,
            ["inFlight"] = 0,
            ["waiting"] = 0,
            ["partitionGuard"] = PartitionGuard,
            ["pools"] = new JsonArray(pools),
            ["held"] = Held.Values.Sum(),
            ["models"] = new JsonArray(Held.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => (JsonNode)Model(h.Key, h.Value)).ToArray()),
            ["requestsForwarded"] = RequestsForwarded + (long)(_started.Elapsed.TotalSeconds * RequestsPerSecond),
        };
    }

    private JsonObject Model(string model, int held)
    {
        var live = Nodes.Values.Where(n => n.Model == model && n.State != "dead").ToList();
        var ready = live.Where(n => n.State == "ready").ToList();
        return new JsonObject
        {
            ["model"] = model,
            ["configured"] = true,
            ["readyNodes"] = ready.Count,
            ["nodes"] = live.Count,
            ["slotsTotal"] = ready.Sum(n => n.SlotsTotal),
            ["slotsBusy"] = ready.Sum(n => n.SlotsBusy),
            ["inFlight"] = live.Sum(n => n.InFlight),
            ["waiting"] = held,
            ["held"] = held,
        };
    }

    private static JsonObject View(string name, FakeNode n) => new()
    {
        ["node"] = name,
        ["pool"] = n.Pool,
        ["state"] = n.State,
        ["endpoint"] = "http://10.0.0.9:8081",
        ["lastSeen"] = "2026-11-25T09:00:00+00:00",
        ["silenceSeconds"] = n.SilenceSeconds,
        ["slotsTotal"] = n.SlotsTotal,
        ["slotsBusy"] = n.SlotsBusy,
        ["queueDepth"] = n.QueueDepth,
        ["inFlight"] = n.InFlight,
        ["model"] = n.Model,
        ["modelLoaded"] = n.State == "ready",
        ["backend"] = n.Backend,
        ["version"] = "0.1.0",
        ["sequence"] = 1,
        ["tokensPerSecond"] = n.TokensPerSecond,
        ["ttftP95Ms"] = n.TtftP95Ms,
        ["drainRequested"] = n.DrainRequested,
        ["registeredAt"] = n.RegisteredAt,
        ["gpus"] = new JsonArray(n.Gpus.Select(g => (JsonNode)new JsonObject
        {
            ["name"] = g.Name,
            ["memoryTotalMiB"] = g.TotalMiB,
            ["memoryUsedMiB"] = g.UsedMiB,
            ["utilizationPercent"] = 35.0,
        }).ToArray()),
    };

    private static IResult Json(JsonObject o) => Results.Text(o.ToJsonString(), "application/json");

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
