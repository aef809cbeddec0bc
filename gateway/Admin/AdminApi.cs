using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Proxy;
using Fleet.Gateway.Registry;
using Fleet.Gateway.Routing;

namespace Fleet.Gateway.Admin;

/// <summary>The admin API under <c>/admin/v1/</c>, behind its own bearer token: fleet load, node states, drain.</summary>
public sealed class AdminApi(AdminTokenStore token, NodeRegistry registry, CapacityGate gate, GatewayOptions options, TimeProvider time)
{
    /// <summary>Maps the admin routes on <paramref name="app"/> (plain request delegates: no reflection, AOT-safe).</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1");
        admin.MapGet("/load", c => Guard(c, () => Write(c, Load(), GatewayJsonContext.Default.FleetLoad)));
        admin.MapGet("/nodes", c => Guard(c, () => Write(c, List(), GatewayJsonContext.Default.NodeList)));
        admin.MapGet("/nodes/{node}", c => Guard(c, () => One(c, NodeName(c))));
        admin.MapGet("/nodes/{node}/drain", c => Guard(c, () => DrainState(c, NodeName(c))));
        admin.MapPost("/nodes/{node}/drain", c => Guard(c, () => Drain(c, NodeName(c), true)));
        admin.MapPost("/nodes/{node}/undrain", c => Guard(c, () => Drain(c, NodeName(c), false)));
    }

    private static string NodeName(HttpContext c) => (string)c.Request.RouteValues["node"]!;

    private Task Guard(HttpContext context, Func<Task> handler) =>
        token.Accepts(SecretHash.BearerToken(context.Request.Headers.Authorization))
            ? handler()
            : OpenAiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "invalid_request_error", "invalid_admin_token",
                "Missing or invalid admin token. Send the content of FLEET_ADMIN_TOKEN_FILE as 'Authorization: Bearer <token>'.");

    // Sums are taken in long and checked: each figure is bounded per node (HeartbeatValidator), never the total.
    internal FleetLoad Load()
    {
        var nodes = registry.Nodes.Select(n => (Node: n, State: n.State(time, options))).Where(x => x.State != NodeState.Dead).ToList();
        var pools = nodes.GroupBy(x => x.Node.Pool).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var ready = g.Where(x => x.State == NodeState.Ready).Select(x => x.Node).ToList();
            return new PoolLoad(g.Key, ready.Count, g.Count(), Sum(ready, n => n.TotalSlots), Sum(ready, n => Math.Min(n.BusySlots, n.TotalSlots)),
                Sum(g.Select(x => x.Node), n => n.QueueDepth), Sum(g.Select(x => x.Node), n => n.InFlight),
                ready.Count == 0 ? 0 : ready.Max(n => n.Last!.TtftP95Ms), ready.Sum(n => n.Last!.TokensPerSecond));
        }).ToList();
        return new FleetLoad(pools.Sum(p => p.ReadyNodes), nodes.Count, Sum(pools, p => p.SlotsTotal), Sum(pools, p => p.SlotsBusy),
            Sum(pools, p => p.QueueDepth), Sum(pools, p => p.InFlight), gate.Waiting, registry.PartitionGuardActive, pools, gate.Held,
            Models(nodes), registry.RequestsForwarded);
    }

    // Every model a live node reports, every configured one, and any with demand waiting; sorted by id.
    private List<ModelLoad> Models(List<(NodeEntry Node, NodeState State)> nodes)
    {
        var demand = gate.Demand();
        var byModel = nodes.Where(x => x.Node.Last?.Model?.Id is not null).ToLookup(x => x.Node.Last!.Model!.Id, StringComparer.Ordinal);
        var ids = byModel.Select(g => g.Key).Concat(options.Models).Concat(demand.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return ids.Select(id =>
        {
            var all = byModel[id].ToList();
            var ready = all.Where(x => x.State == NodeState.Ready).Select(x => x.Node).ToList();
            var (waiting, held) = demand.GetValueOrDefault(id);
            return new ModelLoad(id, options.Models.Contains(id, StringComparer.Ordinal), ready.Count, all.Count, Sum(ready, n => n.TotalSlots),
                Sum(ready, n => Math.Min(n.BusySlots, n.TotalSlots)), Sum(all.Select(x => x.Node), n => n.InFlight), waiting, held);
        }).ToList();
    }

    private static long Sum<T>(IEnumerable<T> items, Func<T, long> value)
    {
        long total = 0;
        foreach (var item in items) total = checked(total + value(item));
        return total;
    }

    internal NodeList List() =>
        new(registry.PartitionGuardActive, registry.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal).Select(View).ToList());

    private Task One(HttpContext context, string name) =>
        registry.Find(name) is { } node
            ? Write(context, View(node), GatewayJsonContext.Default.NodeView)
            : NotFound(context, name);

    private Task Drain(HttpContext context, string name, bool drain)
    {
        var node = registry.SetDrain(name, drain);
        return node is null ? NotFound(context, name) : Write(context, Status(node), GatewayJsonContext.Default.DrainStatus);
    }

    private Task DrainState(HttpContext context, string name) =>
        registry.Find(name) is { } node
            ? Write(context, Status(node), GatewayJsonContext.Default.DrainStatus)
            : NotFound(context, name);

    internal DrainStatus Status(NodeEntry node)
    {
        var state = node.State(time, options);
        var busy = node.Last?.Slots?.Busy ?? 0;
        var queue = node.QueueDepth;
        var drained = node.InFlight == 0 && (state == NodeState.Dead || busy + queue == 0);
        var remaining = state == NodeState.Dead ? node.InFlight : Math.Max(node.InFlight, busy + queue);
        return new DrainStatus(node.Name, Observability.GatewayMetrics.StateName(state), node.DrainRequested, drained, remaining, node.InFlight, busy, queue);
    }

    private NodeView View(NodeEntry n)
    {
        var h = n.Last;
        return new NodeView(n.Name, n.Pool, Observability.GatewayMetrics.StateName(n.State(time, options)), h?.Endpoint, h?.Model?.Id, h?.Model?.Sha256,
            h?.Model?.Loaded ?? false, h?.Backend, h?.Version, h?.Sequence ?? 0, n.LastSeen, Math.Round(n.Silence(time).TotalSeconds, 3),
            n.TotalSlots, h?.Slots?.Busy ?? 0, n.QueueDepth, n.InFlight, h?.TokensPerSecond ?? 0, h?.TtftP95Ms ?? 0, n.DrainRequested, h?.Gpus ?? [], n.RegisteredAt);
    }

    private static Task NotFound(HttpContext context, string name) =>
        OpenAiErrors.WriteAsync(context, StatusCodes.Status404NotFound, "invalid_request_error", "node_not_found",
            $"No node named '{name}' has sent a heartbeat.");

    private Task Write<T>(HttpContext context, T value, JsonTypeInfo<T> type)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, type, context.RequestAborted);
    }
}
