using Fleet.Gateway.Observability;
using Fleet.Gateway.Registry;

namespace Fleet.Gateway.Routing;

/// <summary>One in-flight place on a node, held while a request is forwarded there; disposing frees it.</summary>
public sealed class NodeLease : IDisposable
{
    private readonly NodeRegistry _registry;
    private readonly GatewayMetrics _metrics;
    private int _disposed;

    internal NodeLease(NodeEntry node, NodeRegistry registry, GatewayMetrics metrics)
    {
        Node = node;
        _registry = registry;
        _metrics = metrics;
        _metrics.AddInFlight(node, 1);
    }

    /// <summary>The node the request goes to.</summary>
    public NodeEntry Node { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        Node.Exit();
        _metrics.AddInFlight(Node, -1);
        _registry.NotifyCapacity();
    }
}
