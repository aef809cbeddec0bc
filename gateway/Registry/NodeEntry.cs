using Fleet.Gateway.Configuration;

namespace Fleet.Gateway.Registry;

/// <summary>
/// What the gateway knows about one node: its last heartbeat (timestamped on receipt, never by the node's clock),
/// the requests the gateway itself has in flight there, and the flags the gateway sets (drain, dead, unreachable).
/// </summary>
public sealed class NodeEntry(string name, string pool)
{
    private int _inFlight;
    private int _foreignBusy;
    private volatile Heartbeat? _last;
    private long _receivedTimestamp;
    private long _lastSeenUnixMs;
    private long _registeredUnixMs;
    private long _forwarded;
    private volatile bool _drainRequested;
    private volatile bool _dead;
    private volatile bool _unreachable;
    private volatile bool _removed;

    /// <summary>The node's name (from its credential, never from the body alone).</summary>
    public string Name { get; } = name;

    /// <summary>The node's pool.</summary>
    public string Pool { get; } = pool;

    /// <summary>The last accepted heartbeat.</summary>
    public Heartbeat? Last => _last;

    /// <summary>When the last heartbeat was received (gateway clock).</summary>
    public DateTimeOffset LastSeen => DateTimeOffset.FromUnixTimeMilliseconds(Volatile.Read(ref _lastSeenUnixMs));

    /// <summary>
    /// When the current registration began: the first heartbeat the gateway accepted from this node, or from its agent's
    /// new process after a restart (a new <c>instance</c>, or a lower sequence after silence); null before any heartbeat.
    /// </summary>
    public DateTimeOffset? RegisteredAt => Volatile.Read(ref _registeredUnixMs) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    /// <summary>Requests the gateway forwarded to this node that have finished (each in-flight place given back), since the gateway started.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Requests the gateway has sent to this node and not yet finished.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Set by the admin API; reaches the agent in its next heartbeat reply.</summary>
    public bool DrainRequested { get => _drainRequested; set => _drainRequested = value; }

    /// <summary>Set by the registry sweep when the node was silent past the dead window.</summary>
    public bool Dead { get => _dead; set => _dead = value; }

    /// <summary>A connection to the node failed; it gets no requests until its next heartbeat.</summary>
    public bool Unreachable { get => _unreachable; set => _unreachable = value; }

    /// <summary>
    /// Set once the node's credential was removed from the nodes file: the entry is out of the registry (no new requests),
    /// requests already forwarded there run to their end, and its metric series are gone for good.
    /// </summary>
    public bool Removed { get => _removed; internal set => _removed = value; }

    /// <summary>Held while the node's metric series are written or forgotten, so a late write cannot bring them back.</summary>
    internal Lock MetricsLock { get; } = new();

    /// <summary>The state last reported in logs and metrics (so transitions are logged once).</summary>
    public NodeState? ReportedState { get; set; }

    /// <summary>Records a heartbeat received at <paramref name="now"/>; <paramref name="registers"/> starts a new registration (first heartbeat, restart).</summary>
    public void Record(Heartbeat heartbeat, long timestamp, DateTimeOffset now, bool registers = false)
    {
        if (registers) Volatile.Write(ref _registeredUnixMs, now.ToUnixTimeMilliseconds());
        // Busy slots the node reports beyond the gateway's own in-flight count come from elsewhere
        // (another gateway replica, direct calls); they stay counted until the next heartbeat.
        Volatile.Write(ref _foreignBusy, Math.Max(0, (heartbeat.Slots?.Busy ?? 0) - InFlight));
        _last = heartbeat;
        Volatile.Write(ref _receivedTimestamp, timestamp);
        Volatile.Write(ref _lastSeenUnixMs, now.ToUnixTimeMilliseconds());
        Dead = false;
        Unreachable = false;
    }

    /// <summary>Time since the last heartbeat.</summary>
    public TimeSpan Silence(TimeProvider time) => time.GetElapsedTime(Volatile.Read(ref _receivedTimestamp));

    /// <summary>The node's state now.</summary>
    public NodeState State(TimeProvider time, GatewayOptions options)
    {
        var last = _last;
        if (Dead) return NodeState.Dead;
        if (last is null || Silence(time) > options.SuspectAfter) return NodeState.Suspect;
        if (DrainRequested || last.State == "draining") return NodeState.Draining;
        if (last.State != "ready" || last.Model is not { Loaded: true }) return NodeState.Loading;
        return NodeState.Ready;
    }

    /// <summary>Slots the node has, from its last heartbeat.</summary>
    public int TotalSlots => _last?.Slots?.Total ?? 0;

    /// <summary>Busy slots estimated now: the gateway's own in-flight requests plus load from elsewhere.</summary>
    public int BusySlots => InFlight + Volatile.Read(ref _foreignBusy);

    /// <summary>The node's own queue depth from its last heartbeat.</summary>
    public int QueueDepth => _last?.Queue?.Depth ?? 0;

    /// <summary>Takes one in-flight place if fewer than <paramref name="limit"/> are taken.</summary>
    public bool TryEnter(int limit)
    {
        if (Interlocked.Increment(ref _inFlight) + Volatile.Read(ref _foreignBusy) <= limit) return true;
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    /// <summary>Gives back an in-flight place.</summary>
    public void Exit()
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _forwarded);
    }
}
