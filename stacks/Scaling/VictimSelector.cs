using Fleet.Infra.Catalog;
using Fleet.Stacks.Gateway;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// Which node ids a scale-down removes. Nodes that serve nothing go first (dead, suspect, never heard of, still
/// loading), then idle nodes, then the least loaded. Among equals: on Hetzner (billed per started hour) the node
/// nearest the end of its paid hour; on DigitalOcean (per-second billing) the newest; then the highest id.
/// </summary>
public static class VictimSelector
{
    public static IReadOnlyList<string> Choose(
        IReadOnlyList<string> ids, int count, Func<string, GatewayNode?> gatewayView, CloudKind cloud,
        IReadOnlyDictionary<string, DateTimeOffset> addedAt, DateTimeOffset now)
    {
        if (count <= 0) return [];
        return ids.Select((id, index) => (id, index, node: gatewayView(id)))
            .OrderBy(x => ServesRank(x.node))
            .ThenBy(x => x.node is { Idle: true } or null ? 0 : 1)
            .ThenBy(x => x.node is null ? 0 : x.node.SlotsBusy + x.node.QueueDepth + x.node.InFlight)
            .ThenBy(x => cloud == CloudKind.Hetzner ? MinutesLeftInPaidHour(addedAt, x.id, now) : 0)
            .ThenByDescending(x => cloud == CloudKind.Hetzner ? 0 : addedAt.TryGetValue(x.id, out var t) ? t.ToUnixTimeMilliseconds() : 0)
            .ThenByDescending(x => x.index)
            .Take(count)
            .Select(x => x.id)
            .ToArray();
    }

    /// <summary>Minutes until the node's next billing hour starts; unknown creation time counts as a full hour.</summary>
    public static double MinutesLeftInPaidHour(IReadOnlyDictionary<string, DateTimeOffset> addedAt, string id, DateTimeOffset now)
    {
        if (!addedAt.TryGetValue(id, out var added) || added > now) return 60;
        var used = (now - added).TotalMinutes % 60;
        return 60 - used;
    }

    private static int ServesRank(GatewayNode? node) => node?.State switch
    {
        "dead" => 0,
        "suspect" => 1,
        null => 2,
        "loading" => 3,
        _ => 4,
    };
}
