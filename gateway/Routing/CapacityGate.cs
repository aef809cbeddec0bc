using Fleet.Gateway.Configuration;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Registry;

namespace Fleet.Gateway.Routing;

/// <summary>
/// Gives each request a node, holding it up to <see cref="GatewayOptions.QueueTimeout"/> when every node is full
/// (capacity may be arriving: a request finishing, a node becoming ready), then giving up so the caller answers 503.
/// </summary>
public sealed class CapacityGate(NodeSelector selector, NodeRegistry registry, GatewayOptions options, TimeProvider time, GatewayMetrics metrics)
{
    private int _waiting;

    /// <summary>Requests holding for capacity now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Fires whenever <see cref="Waiting"/> changes.</summary>
    public Pulse WaitingChanged { get; } = new();

    /// <summary>A node for <paramref name="model"/>, waiting for room when needed.</summary>
    public async ValueTask<RouteResult> AcquireAsync(string model, IReadOnlyCollection<NodeEntry>? exclude, CancellationToken cancellationToken)
    {
        var lease = selector.TryAcquire(model, exclude);
        if (lease is not null) return new RouteResult(lease, RouteFailure.None);
        if (!selector.Serves(model)) return new RouteResult(null, RouteFailure.UnknownModel);
        // The deadline is fixed before the request counts as waiting, so a clock moving meanwhile is not missed.
        var deadline = time.GetTimestamp() + (long)(options.QueueTimeout.TotalSeconds * time.TimestampFrequency);
        if (Interlocked.Increment(ref _waiting) > options.MaxWaiting)
        {
            Interlocked.Decrement(ref _waiting);
            return new RouteResult(null, RouteFailure.NoCapacity);
        }

        metrics.Waiting.Inc();
        WaitingChanged.Fire();
        try
        {
            while (true)
            {
                var changed = registry.CapacityChanged.Next;
                lease = selector.TryAcquire(model, exclude);
                if (lease is not null) return new RouteResult(lease, RouteFailure.None);
                var remaining = time.GetElapsedTime(time.GetTimestamp(), deadline);
                if (remaining <= TimeSpan.Zero) return new RouteResult(null, RouteFailure.NoCapacity);

                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var timeout = Task.Delay(remaining, time, stop.Token);
                await Task.WhenAny(changed, timeout).ConfigureAwait(false);
                await stop.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
            metrics.Waiting.Dec();
            WaitingChanged.Fire();
        }
    }
}
