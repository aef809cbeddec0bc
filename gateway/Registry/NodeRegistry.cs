using System.Collections.Concurrent;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Routing;

namespace Fleet.Gateway.Registry;

/// <summary>
/// The nodes known from heartbeats. Heartbeats are timestamped on receipt; <see cref="Sweep"/> moves silent
/// nodes to dead, unless most of the fleet went silent at once (partition guard).
/// </summary>
public sealed class NodeRegistry(GatewayOptions options, TimeProvider time, GatewayMetrics metrics, ILogger<NodeRegistry> logger)
{
    private readonly ConcurrentDictionary<string, NodeEntry> _nodes = new(StringComparer.Ordinal);
    private readonly Lock _sweepLock = new();
    private readonly Lock _membership = new();
    private volatile NodeEntry[] _snapshot = [];
    private long _forwardedByRemoved; // under _membership
    private HashSet<(string Node, string Pool)>? _members; // the nodes file in force (null until first loaded); under _membership

    /// <summary>Fires after every accepted heartbeat and drain change (tests and watchers wait on it).</summary>
    public Pulse Changed { get; } = new();

    /// <summary>Raised when capacity may have appeared: a heartbeat, a finished request, an undrain.</summary>
    public event Action? CapacityMayHaveChanged;

    /// <summary>Tells <see cref="CapacityMayHaveChanged"/> listeners (a lease calls this when its request ends).</summary>
    public void NotifyCapacity() => CapacityMayHaveChanged?.Invoke();

    /// <summary>Whether dead-marking is frozen because most nodes went silent at once.</summary>
    public bool PartitionGuardActive { get; private set; }

    /// <summary>All known nodes: an immutable snapshot, replaced when a node joins or leaves (routing reads it lock-free).</summary>
    public IReadOnlyList<NodeEntry> Nodes => _snapshot;

    /// <summary>
    /// Requests forwarded to nodes and finished since the gateway started, removed nodes included: a counter that only a
    /// gateway restart sets back to zero (the control service turns it into requests per second).
    /// </summary>
    public long RequestsForwarded
    {
        get { lock (_membership) return _forwardedByRemoved + _snapshot.Sum(n => n.Forwarded); }
    }

    /// <summary>The node named <paramref name="name"/>, or null.</summary>
    public NodeEntry? Find(string name) => _nodes.GetValueOrDefault(name);

    /// <summary>
    /// Records a heartbeat from an authenticated node and returns the reply; null when the heartbeat is stale, or when
    /// <paramref name="revoked"/>: the credential was removed from the nodes file after the caller looked it up (a
    /// heartbeat in flight during a reload must not bring a removed node back). A sequence not above the last one is a
    /// replay unless it is a restart: a new <c>instance</c>, or (agents that send none) the previous process silent long
    /// enough for the node to be suspect (it stopped beating).
    /// </summary>
    public HeartbeatReply? Accept(NodeCredential credential, Heartbeat heartbeat, out bool revoked)
    {
        revoked = false;
        if (!_nodes.TryGetValue(credential.Node, out var entry))
        {
            lock (_membership)
            {
                if (_members is not null && !_members.Contains((credential.Node, credential.Pool)))
                {
                    revoked = true;
                    return null;
                }
                entry = _nodes.GetOrAdd(credential.Node, static (n, c) => new NodeEntry(n, c.Pool), credential);
                _snapshot = [.. _nodes.Values];
            }
        }
        lock (entry)
        {
            if (entry.Removed)
            {
                revoked = true;
                return null;
            }
            var previous = entry.Last;
            var registers = previous is null;
            if (previous is null)
                GatewayLog.NodeRegistered(logger, entry.Name, entry.Pool, heartbeat.Endpoint, heartbeat.Model?.Id);
            else if (heartbeat.Sequence <= previous.Sequence)
            {
                var newInstance = heartbeat.Instance is not null && heartbeat.Instance != previous.Instance;
                var oldProcessSilent = heartbeat.Instance is null && entry.Silence(time) > options.SuspectAfter;
                if (!newInstance && !oldProcessSilent) return null;
                GatewayLog.NodeRestarted(logger, entry.Name, heartbeat.Sequence, previous.Sequence);
                registers = true;
            }
            entry.Record(heartbeat, time.GetTimestamp(), time.GetUtcNow(), registers);
        }
        metrics.RecordHeartbeat(entry, heartbeat, time.GetUtcNow());
        Observe(entry);
        Changed.Fire();
        NotifyCapacity();
        return new HeartbeatReply((int)Math.Ceiling(options.HeartbeatInterval.TotalSeconds), entry.DrainRequested);
    }

    /// <summary>Sets or clears the drain request of a node; null when the node is unknown.</summary>
    public NodeEntry? SetDrain(string name, bool drain)
    {
        if (!_nodes.TryGetValue(name, out var entry)) return null;
        if (entry.DrainRequested != drain)
        {
            entry.DrainRequested = drain;
            GatewayLog.DrainChanged(logger, name, drain ? "requested" : "cancelled", entry.InFlight);
        }
        Observe(entry);
        Changed.Fire();
        NotifyCapacity();
        return entry;
    }

    /// <summary>
    /// Puts the nodes file's membership in force: nodes whose credentials were removed are forgotten at once (no new
    /// requests; their series leave the metrics). Requests already forwarded to such a node are not cut: they hold the
    /// entry and run to their end (a removed node should have been drained first; see the README).
    /// </summary>
    public void Retain(IReadOnlyList<NodeCredential> credentials)
    {
        var allowed = credentials.Select(c => (c.Node, c.Pool)).ToHashSet();
        List<NodeEntry>? removed = null;
        lock (_membership)
        {
            _members = allowed;
            foreach (var entry in _snapshot)
            {
                if (allowed.Contains((entry.Name, entry.Pool))) continue;
                if (!_nodes.TryRemove(KeyValuePair.Create(entry.Name, entry))) continue;
                lock (entry) entry.Removed = true; // after this, Accept refuses the entry (see there)
                (removed ??= []).Add(entry);
            }
            if (removed is not null)
            {
                // Moved to the removed total with the snapshot change, under the same lock, so the sum never goes back.
                foreach (var entry in removed) _forwardedByRemoved += entry.Forwarded;
                _snapshot = [.. _nodes.Values];
            }
        }
        if (removed is null) return;
        foreach (var entry in removed)
        {
            metrics.Forget(entry);
            GatewayLog.NodeRemoved(logger, entry.Name, entry.InFlight);
        }
        Changed.Fire();
    }

    /// <summary>
    /// Marks nodes silent past the dead window as dead, unless more than the partition fraction of live nodes is
    /// silent at once: then the gateway is the likelier fault, and dead-marking is frozen (suspects still get no traffic).
    /// </summary>
    public void Sweep()
    {
        lock (_sweepLock)
        {
            var live = _snapshot.Where(n => !n.Dead).ToList();
            var silent = live.Where(n => n.Silence(time) > options.SuspectAfter).ToList();
            var guard = live.Count >= options.PartitionMinNodes && silent.Count > live.Count * options.PartitionFraction;
            if (guard != PartitionGuardActive)
            {
                PartitionGuardActive = guard;
                metrics.PartitionGuard.Set(guard ? 1 : 0);
                if (guard)
                {
                    metrics.PartitionGuardActivations.Inc();
                    GatewayLog.PartitionGuardOn(logger, silent.Count, live.Count);
                }
                else GatewayLog.PartitionGuardOff(logger, silent.Count, live.Count);
            }
            if (!guard)
            {
                foreach (var node in silent.Where(n => n.Silence(time) > options.DeadAfter))
                    node.Dead = true;
            }
            foreach (var node in _snapshot) Observe(node);
        }
    }

    private void Observe(NodeEntry entry)
    {
        var state = entry.State(time, options);
        var previous = entry.ReportedState;
        if (state == previous) return;
        entry.ReportedState = state;
        metrics.RecordState(entry, state);
        if (previous is not null)
            GatewayLog.NodeStateChanged(logger, entry.Name, state, previous.Value, entry.Silence(time).TotalSeconds);
    }
}
