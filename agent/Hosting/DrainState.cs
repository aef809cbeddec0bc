namespace Fleet.Agent.Hosting;

/// <summary>
/// Whether the agent still takes new work. Set on SIGTERM (for good) or when the gateway asks this node to drain (until
/// the gateway stops asking: an undrain after a failed scale-down puts the node back in rotation); in-flight requests
/// always finish. Listeners (the heartbeat) are woken when draining starts.
/// </summary>
public sealed class DrainState
{
    public const string Shutdown = "shutdown";

    private readonly Lock _lock = new();
    private string? _reason;

    public bool IsDraining => Volatile.Read(ref _reason) is not null;

    /// <summary>Raised when draining starts.</summary>
    public event Action<string>? Started;

    /// <summary>Starts draining; returns false when it already was. A shutdown outranks a gateway drain and is never undone.</summary>
    public bool Begin(string reason)
    {
        lock (_lock)
        {
            if (_reason is not null)
            {
                if (reason == Shutdown) _reason = Shutdown;
                return false;
            }
            _reason = reason;
        }
        Started?.Invoke(reason);
        return true;
    }

    /// <summary>Ends a drain started for <paramref name="reason"/>; a shutdown drain is never ended. Returns true when it ended.</summary>
    public bool End(string reason)
    {
        lock (_lock)
        {
            if (_reason != reason || reason == Shutdown) return false;
            _reason = null;
            return true;
        }
    }
}
