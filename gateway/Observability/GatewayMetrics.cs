using Fleet.Gateway.Registry;
using Prometheus;

namespace Fleet.Gateway.Observability;

/// <summary>
/// The gateway's Prometheus metrics in a registry of its own (several gateways may share a process in tests).
/// Per node: state, slots, queue, in-flight, requests. Per key: requests by status, tokens, rate-limit hits.
/// </summary>
public sealed class GatewayMetrics
{
    private static readonly string[] NodeLabels = ["node", "pool"];

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    internal Gauge NodeStates { get; }
    internal Gauge NodeSlotsTotal { get; }
    internal Gauge NodeSlotsBusy { get; }
    internal Gauge NodeQueueDepth { get; }
    internal Gauge NodeInFlight { get; }
    internal Gauge NodeTtftP95 { get; }
    internal Gauge NodeTokensPerSecond { get; }
    internal Gauge NodeLastHeartbeat { get; }
    internal Counter NodeRequests { get; }
    internal Counter Heartbeats { get; }
    internal Counter KeyRequests { get; }
    internal Counter KeyTokens { get; }
    internal Counter KeyRateLimited { get; }
    internal Counter ClientsRefused { get; }
    internal Gauge LimiterClients { get; }
    internal Gauge Waiting { get; }
    internal Gauge ModelWaiting { get; }
    internal Counter ModelRequests { get; }
    internal Counter NoCapacity { get; }
    internal Gauge PartitionGuard { get; }
    internal Counter PartitionGuardActivations { get; }
    internal Histogram RequestDuration { get; }

    public GatewayMetrics()
    {
        DotNetStats.Register(Registry); // process and runtime figures: GC collections, memory, threads, CPU
        var f = Metrics.WithCustomRegistry(Registry);
        NodeStates = f.CreateGauge("fleet_gateway_node_state", "1 for the node's current state, 0 for the others.", [.. NodeLabels, "state"]);
        NodeSlotsTotal = f.CreateGauge("fleet_gateway_node_slots", "Decode slots the node reported.", NodeLabels);
        NodeSlotsBusy = f.CreateGauge("fleet_gateway_node_slots_busy", "Busy slots the node reported in its last heartbeat.", NodeLabels);
        NodeQueueDepth = f.CreateGauge("fleet_gateway_node_queue_depth", "Queue depth the node reported.", NodeLabels);
        NodeInFlight = f.CreateGauge("fleet_gateway_node_in_flight", "Requests the gateway has in flight to the node.", NodeLabels);
        NodeTtftP95 = f.CreateGauge("fleet_gateway_node_ttft_p95_seconds", "Time to first token, p95, reported by the node.", NodeLabels);
        NodeTokensPerSecond = f.CreateGauge("fleet_gateway_node_tokens_per_second", "Decode throughput reported by the node.", NodeLabels);
        NodeLastHeartbeat = f.CreateGauge("fleet_gateway_node_last_heartbeat_timestamp_seconds", "When the last heartbeat was received (Unix time).", NodeLabels);
        NodeRequests = f.CreateCounter("fleet_gateway_node_requests_total", "Requests forwarded to the node, by outcome.", [.. NodeLabels, "outcome"]);
        Heartbeats = f.CreateCounter("fleet_gateway_heartbeats_total", "Heartbeats received, by outcome.", "outcome");
        KeyRequests = f.CreateCounter("fleet_gateway_key_requests_total", "Client requests per API key (JWT clients: per issuer, key=\"jwt:<issuer>\"), by HTTP status.", "key", "code");
        KeyTokens = f.CreateCounter("fleet_gateway_key_tokens_total", "Tokens charged to the API key (response usage, else streamed chunks).", "key");
        KeyRateLimited = f.CreateCounter("fleet_gateway_key_rate_limited_total", "Requests refused with 429, by limit.", "key", "limit");
        ClientsRefused = f.CreateCounter("fleet_gateway_clients_refused_total", "Requests of clients not yet tracked, refused with 503 at FLEET_MAX_CLIENTS.");
        LimiterClients = f.CreateGauge("fleet_gateway_limiter_clients", "Clients whose rate-limit budgets are tracked (idle ones are forgotten; at most FLEET_MAX_CLIENTS, plus API keys).");
        Waiting = f.CreateGauge("fleet_gateway_waiting_requests", "Requests holding for capacity.");
        // Model labels only ever carry models the fleet serves or is configured for, never an arbitrary name a client sent.
        ModelWaiting = f.CreateGauge("fleet_gateway_model_waiting_requests", "Requests holding for capacity or a first ready node, by model.", "model");
        ModelRequests = f.CreateCounter("fleet_gateway_model_requests_total", "Client requests routed for a model the fleet serves or is configured for, by HTTP status.", "model", "code");
        NoCapacity = f.CreateCounter("fleet_gateway_no_capacity_total", "Requests answered 503 after holding for capacity.");
        PartitionGuard = f.CreateGauge("fleet_gateway_partition_guard_active", "1 while dead-marking is frozen because most nodes went silent at once.");
        PartitionGuardActivations = f.CreateCounter("fleet_gateway_partition_guard_activations_total", "Times the partition guard froze dead-marking.");
        RequestDuration = f.CreateHistogram("fleet_gateway_request_duration_seconds", "Client request duration through the gateway, to the last byte.",
            new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 18) });
    }

    // Every per-node write checks, under the node's metrics lock, that the node was not removed: a request finishing on a
    // revoked node, or a heartbeat accepted just before the revocation, must not bring its series back (with an in-flight
    // count of -1, say).
    internal void RecordHeartbeat(NodeEntry node, Heartbeat hb, DateTimeOffset now)
    {
        lock (node.MetricsLock)
        {
            if (node.Removed) return;
            NodeSlotsTotal.WithLabels(node.Name, node.Pool).Set(hb.Slots?.Total ?? 0);
            NodeSlotsBusy.WithLabels(node.Name, node.Pool).Set(hb.Slots?.Busy ?? 0);
            NodeQueueDepth.WithLabels(node.Name, node.Pool).Set(hb.Queue?.Depth ?? 0);
            NodeTtftP95.WithLabels(node.Name, node.Pool).Set(hb.TtftP95Ms / 1000.0);
            NodeTokensPerSecond.WithLabels(node.Name, node.Pool).Set(hb.TokensPerSecond);
            NodeLastHeartbeat.WithLabels(node.Name, node.Pool).Set(now.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    internal void RecordState(NodeEntry node, NodeState state)
    {
        lock (node.MetricsLock)
        {
            if (node.Removed) return;
            foreach (var s in Enum.GetValues<NodeState>())
                NodeStates.WithLabels(node.Name, node.Pool, StateName(s)).Set(s == state ? 1 : 0);
        }
    }

    /// <summary>Adds <paramref name="delta"/> to the node's in-flight gauge (nothing once the node was removed).</summary>
    internal void AddInFlight(NodeEntry node, int delta)
    {
        lock (node.MetricsLock)
        {
            if (node.Removed) return;
            var gauge = NodeInFlight.WithLabels(node.Name, node.Pool);
            if (delta >= 0) gauge.Inc(delta);
            else gauge.Dec(-delta);
        }
    }

    /// <summary>Counts one request forwarded to the node, by outcome (nothing once the node was removed).</summary>
    internal void CountNodeRequest(NodeEntry node, string outcome)
    {
        lock (node.MetricsLock)
        {
            if (!node.Removed) NodeRequests.WithLabels(node.Name, node.Pool, outcome).Inc();
        }
    }

    /// <summary>Drops every series of a node that was removed (<see cref="NodeEntry.Removed"/> is already set).</summary>
    internal void Forget(NodeEntry node)
    {
        lock (node.MetricsLock)
        {
            foreach (var g in new[] { NodeSlotsTotal, NodeSlotsBusy, NodeQueueDepth, NodeTtftP95, NodeTokensPerSecond, NodeLastHeartbeat, NodeInFlight })
                g.RemoveLabelled(node.Name, node.Pool);
            foreach (var s in Enum.GetValues<NodeState>())
                NodeStates.RemoveLabelled(node.Name, node.Pool, StateName(s));
            foreach (var outcome in new[] { "ok", "connect_error", "error" })
                NodeRequests.RemoveLabelled(node.Name, node.Pool, outcome);
        }
    }

    /// <summary>The lowercase name of a state, as in JSON and metrics.</summary>
    public static string StateName(NodeState s) => s switch
    {
        NodeState.Loading => "loading",
        NodeState.Ready => "ready",
        NodeState.Draining => "draining",
        NodeState.Suspect => "suspect",
        _ => "dead",
    };
}
