namespace Fleet.Agent.Hosting;

/// <summary>
/// Whether the agent still takes new work. Set on SIGTERM or when the gateway asks this node to drain; in-flight
/// requests always finish. Listeners (the heartbeat) are woken when it changes.
/// </summary>
public sealed class DrainState
{
    private int _draining;

    public bool IsDraining => Volatile.Read(ref _draining) == 1;

    /// <summary>Raised once, when draining starts.</summary>
    public event Action<string>? Started;

    /// <summary>Starts draining; returns false when it already was.</summary>
    public bool Begin(string reason)
    {
        if (Interlocked.Exchange(ref _draining, 1) == 1) return false;
        Started?.Invoke(reason);
        return true;
    }
}
