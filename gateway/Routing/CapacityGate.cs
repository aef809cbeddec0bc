using Fleet.Gateway.Configuration;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Registry;

namespace Fleet.Gateway.Routing;

/// <summary>
/// Gives each request a node. When every node serving the model is full, the request waits in a first-come queue
/// per model (capacity may be arriving: a request finishing, a node becoming ready or undrained) for up to
/// <see cref="GatewayOptions.QueueTimeout"/>, then the caller answers 503. Freed capacity goes to the longest waiter.
/// A request for a configured model (<see cref="GatewayOptions.Models"/>) while no node serving it is ready is
/// <em>held</em> in the same queue for up to <see cref="GatewayOptions.ScaleFromZeroTimeout"/> (at most
/// <see cref="GatewayOptions.ScaleFromZeroMaxHeld"/> at once): scale from zero, reported per model by <see cref="Demand"/>.
/// </summary>
public sealed class CapacityGate
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedList<Waiter>> _queues = new(StringComparer.Ordinal);
    private readonly NodeSelector _selector;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly GatewayMetrics _metrics;
    private int _waiting;
    private int _held;

    public CapacityGate(NodeSelector selector, NodeRegistry registry, GatewayOptions options, TimeProvider time, GatewayMetrics metrics)
    {
        _selector = selector;
        _options = options;
        _time = time;
        _metrics = metrics;
        registry.CapacityMayHaveChanged += Dispatch;
    }

    /// <summary>Requests holding for capacity now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Requests held for a configured model with no ready node (a subset of <see cref="Waiting"/>).</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Requests waiting and held now, per model (models with none are left out).</summary>
    public IReadOnlyDictionary<string, (int Waiting, int Held)> Demand()
    {
        lock (_lock)
        {
            return _queues.Where(q => q.Value.Count > 0).ToDictionary(q => q.Key, q => (q.Value.Count, q.Value.Count(w => w.Held)), StringComparer.Ordinal);
        }
    }

    /// <summary>Fires whenever <see cref="Waiting"/> changes.</summary>
    public Pulse WaitingChanged { get; } = new();

    /// <summary>A node for <paramref name="model"/>, waiting for room when needed.</summary>
    public async ValueTask<RouteResult> AcquireAsync(string model, IReadOnlyCollection<NodeEntry>? exclude, CancellationToken cancellationToken)
    {
        if (Waiting == 0 && _selector.TryAcquire(model, exclude) is { } fast) return new RouteResult(fast, RouteFailure.None);
        var held = !_selector.HasReady(model) && _options.Models.Contains(model, StringComparer.Ordinal);
        if (!held && !_selector.Serves(model)) return new RouteResult(null, RouteFailure.UnknownModel);
        var hold = held ? _options.ScaleFromZeroTimeout : _options.QueueTimeout;
        // The deadline is fixed before the request counts as waiting, so a clock moving meanwhile is not missed.
        var deadline = _time.GetTimestamp() + (long)(hold.TotalSeconds * _time.TimestampFrequency);

        var waiter = new Waiter(model, exclude, held);
        lock (_lock)
        {
            // Under the lock, so a lease released after this try dispatches to the queued waiter: no lost wake-up.
            if (!_queues.TryGetValue(model, out var queue)) _queues[model] = queue = new LinkedList<Waiter>();
            if (queue.Count == 0 && _selector.TryAcquire(model, exclude) is { } lease) return new RouteResult(lease, RouteFailure.None);
            if (held ? _held >= _options.ScaleFromZeroMaxHeld : _waiting >= _options.MaxWaiting) return new RouteResult(null, Failure(waiter));
            waiter.Entry = queue.AddLast(waiter);
            Volatile.Write(ref _waiting, _waiting + 1);
            if (held) Volatile.Write(ref _held, _held + 1);
        }
        _metrics.Waiting.Inc();
        _metrics.ModelWaiting.WithLabels(model).Inc();
        WaitingChanged.Fire();
        try
        {
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                while (!waiter.Result.Task.IsCompleted && !cancellationToken.IsCancellationRequested)
                {
                    var remaining = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
                    if (remaining <= TimeSpan.Zero) break;
                    var timeout = Task.Delay(remaining, _time, stop.Token);
                    // A clock that moved between reading it and arming the delay would leave the delay too long.
                    if (_time.GetTimestamp() >= deadline) break;
                    await Task.WhenAny(waiter.Result.Task, timeout).ConfigureAwait(false);
                }
                await stop.CancelAsync().ConfigureAwait(false);
            }
            lock (_lock)
            {
                // Still queued: timed out or cancelled. Once out of the queue, nothing can hand this waiter a lease.
                if (waiter.Entry?.List is not null) Remove(waiter);
            }
            var given = waiter.Result.Task.IsCompletedSuccessfully ? waiter.Result.Task.Result : null;
            if (cancellationToken.IsCancellationRequested)
            {
                given?.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }
            return given is null ? new RouteResult(null, Failure(waiter)) : new RouteResult(given, RouteFailure.None);
        }
        finally
        {
            _metrics.Waiting.Dec();
            _metrics.ModelWaiting.WithLabels(model).Dec();
            WaitingChanged.Fire();
        }
    }

    // Hands freed capacity to waiters, oldest first, per model. A waiter without exclusions that finds no room means
    // none behind it for the same model would either.
    private void Dispatch()
    {
        if (Waiting == 0) return;
        lock (_lock)
        {
            foreach (var queue in _queues.Values)
            {
                for (var entry = queue.First; entry is not null;)
                {
                    var next = entry.Next;
                    var waiter = entry.Value;
                    if (_selector.TryAcquire(waiter.Model, waiter.Exclude) is { } lease)
                    {
                        Remove(waiter);
                        waiter.Result.SetResult(lease);
                    }
                    else if (waiter.Exclude is null) break;
                    entry = next;
                }
            }
        }
    }

    private void Remove(Waiter waiter)
    {
        waiter.Entry!.List!.Remove(waiter.Entry);
        Volatile.Write(ref _waiting, _waiting - 1);
        if (waiter.Held) Volatile.Write(ref _held, _held - 1);
    }

    private static RouteFailure Failure(Waiter waiter) => waiter.Held ? RouteFailure.NotReady : RouteFailure.NoCapacity;

    private sealed class Waiter(string model, IReadOnlyCollection<NodeEntry>? exclude, bool held)
    {
        public string Model { get; } = model;
        public bool Held { get; } = held;
        public IReadOnlyCollection<NodeEntry>? Exclude { get; } = exclude;
        public LinkedListNode<Waiter>? Entry { get; set; }
        public TaskCompletionSource<NodeLease> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
