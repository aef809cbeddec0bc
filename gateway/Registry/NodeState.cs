namespace Fleet.Gateway.Registry;

/// <summary>A node's state as the gateway sees it. Only <see cref="Ready"/> nodes receive new requests.</summary>
public enum NodeState
{
    /// <summary>Heartbeating, model not loaded yet.</summary>
    Loading,
    /// <summary>Heartbeating, model loaded, taking requests.</summary>
    Ready,
    /// <summary>Asked to drain (by the admin API) or draining on its own (SIGTERM): finishes work, takes none.</summary>
    Draining,
    /// <summary>Missed 3 heartbeat intervals: no new requests, not yet given up on.</summary>
    Suspect,
    /// <summary>Silent past the dead window (unless the partition guard froze dead-marking).</summary>
    Dead,
}
