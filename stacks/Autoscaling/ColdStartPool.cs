namespace Fleet.Stacks.Autoscaling;

/// <summary>
/// Which autoscaled pool starts a model that has demand and no ready node: among the pools serving it that are below
/// their max, the cheapest per node (unknown price last), then the first by name (ordinal). One pool per model, so
/// several pools of one model never each add a node for the same held requests.
/// </summary>
public static class ColdStartPool
{
    /// <summary>The chosen pool per model id.</summary>
    public static IReadOnlyDictionary<string, string> Choose(IEnumerable<ColdStartCandidate> pools) =>
        pools.Where(p => p.Size < p.Max)
            .GroupBy(p => p.Model, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(p => p.NodeMonthlyPrice ?? decimal.MaxValue).ThenBy(p => p.Pool, StringComparer.Ordinal).First().Pool, StringComparer.Ordinal);
}
