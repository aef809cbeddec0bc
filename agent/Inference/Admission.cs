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

    /// <summary>Takes a place for one request, or returns false when slots and queue are all taken.</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var now = Volatile.Read(ref _inSystem);
            if (now >= Slots + QueueLimit) return false;
            if (Interlocked.CompareExchange(ref _inSystem, now + 1, now) == now) return true;
        }
    }

    public void Leave() => Interlocked.Decrement(ref _inSystem);

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
