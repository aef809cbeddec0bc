using Fleet.Gateway.Configuration;
using Fleet.Gateway.Observability;
using Fleet.Gateway.Registry;

namespace Fleet.Gateway.Routing;

/// <summary>
/// Picks a node for a request: ready nodes serving the model, most free slots, then shortest queue; ties broken
/// by power-of-two choices (two random tied nodes, the one with fewer gateway in-flight requests wins).
/// </summary>
public sealed class NodeSelector(NodeRegistry registry, GatewayOptions options, TimeProvider time, GatewayMetrics metrics)
{
    /// <summary>Whether any node that is not dead serves <paramref name="model"/> (loading nodes count: capacity may be arriving).</summary>
    public bool Serves(string model) =>
        registry.Nodes.Any(n => n.Last?.Model?.Id == model && n.State(time, options) != NodeState.Dead);

    /// <summary>Whether a ready, reachable node serves <paramref name="model"/> (full or not).</summary>
    public bool HasReady(string model) =>
        registry.Nodes.Any(n => !n.Unreachable && n.Last?.Model?.Id == model && n.State(time, options) == NodeState.Ready);

    /// <summary>The models clients can ask for: those ready nodes serve, and the configured ones (<c>FLEET_MODELS</c>), sorted.</summary>
    public IReadOnlyList<string> FleetModels() =>
        ReadyModels().Concat(options.Models).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The models ready nodes serve, sorted.</summary>
    public IReadOnlyList<string> ReadyModels() =>
        registry.Nodes.Where(n => n.State(time, options) == NodeState.Ready && !n.Unreachable)
            .Select(n => n.Last!.Model!.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Takes an in-flight place on the best node for <paramref name="model"/>, or null when none has room.</summary>
    public NodeLease? TryAcquire(string model, IReadOnlyCollection<NodeEntry>? exclude)
    {
        // A place can be taken by a concurrent request between choosing and entering: then choose again.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var node = Choose(model, exclude);
            if (node is null) return null;
            if (node.TryEnter(node.TotalSlots + options.NodeQueueAllowance))
                return new NodeLease(node, registry, metrics);
        }
        return null;
    }

    [ThreadStatic] private static List<NodeEntry>? t_tied;

    private NodeEntry? Choose(string model, IReadOnlyCollection<NodeEntry>? exclude)
    {
        var tied = t_tied ??= [];
        tied.Clear();
        foreach (var node in registry.Nodes)
        {
            if (!Eligible(node, model, exclude)) continue;
            var c = tied.Count == 0 ? 1 : Compare(node, tied[0]);
            if (c > 0) { tied.Clear(); tied.Add(node); }
            else if (c == 0) tied.Add(node);
        }
        switch (tied.Count)
        {
            case 0: return null;
            case 1: return tied[0];
        }
        var i = Random.Shared.Next(tied.Count);
        var j = (i + 1 + Random.Shared.Next(tied.Count - 1)) % tied.Count;
        var chosen = tied[j].InFlight < tied[i].InFlight ? tied[j] : tied[i];
        tied.Clear();
        return chosen;
    }

    private bool Eligible(NodeEntry node, string model, IReadOnlyCollection<NodeEntry>? exclude) =>
        !node.Unreachable
        && node.Last?.Model?.Id == model
        && node.State(time, options) == NodeState.Ready
        && node.BusySlots < node.TotalSlots + options.NodeQueueAllowance
        && (exclude is null || !exclude.Contains(node));

    // Positive when a is the better choice: more free slots, then a shorter queue.
    private static int Compare(NodeEntry a, NodeEntry b)
    {
        var free = (a.TotalSlots - a.BusySlots).CompareTo(b.TotalSlots - b.BusySlots);
        return free != 0 ? free : b.QueueDepth.CompareTo(a.QueueDepth);
    }
}
