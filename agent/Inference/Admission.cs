namespace Fleet.Agent.Inference;

/// <summary>
/// Bounds work in the agent: parallel slots plus a queue. A request beyond both is refused (HTTP 429) instead of
/// waiting unboundedly.
/// </summary>
public sealed class Admission(int slots, int queueLimit)
{
    private int _inSystem;
    private int _busy;

    public int Slots { get; } = slots;
    public int QueueLimit { get; } = queueLimit;
    public int Busy => Volatile.Read(ref _busy);
    public int InSystem => Volatile.Read(ref _inSystem);
    public int QueueDepth => Math.Max(0, Volatile.Read(ref _inSystem) - Busy);

    /// <summary>
    /// Takes <paramref name="places"/> places (one per choice of a request: each will take a slot), or returns false
    /// when slots and queue cannot hold them all.
    /// </summary>
    public bool TryEnter(int places = 1)
    {
        while (true)
        {
            var now = Volatile.Read(ref _inSystem);
            if (now + places > Slots + QueueLimit) return false;
            if (Interlocked.CompareExchange(ref _inSystem, now + places, now) == now) return true;
        }
    }

    public void Leave(int places = 1) => Interlocked.Add(ref _inSystem, -places);

    /// <summary>Requests that ever took a slot (monotonic: a watcher cannot miss a short one, unlike <see cref="Busy"/>).</summary>
    public long Started => Interlocked.Read(ref _started);

    private long _started;

    internal void SlotTaken()
    {
        Interlocked.Increment(ref _busy);
        Interlocked.Increment(ref _started);
    }

    internal void SlotFreed() => Interlocked.Decrement(ref _busy);
}
