using Fleet.Infra.Configuration;
using Fleet.Stacks.Gateway;
using Fleet.Stacks.Persistence;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// Turns desired sizes and pending replacements into per-pool edits of the node-id lists. A scale-down removes the nodes
/// pending drains name first (the console's "drain this node"), then what <see cref="VictimSelector"/> chooses.
/// </summary>
public sealed class ScalePlanner(NodeLedger ledger, Func<string, string, string, string> nodeName, TimeProvider time)
{
    public IReadOnlyList<PoolEdit> Plan(string stack, FleetConfig config, IReadOnlyDictionary<string, int> desired,
        IReadOnlyList<OperationRecord> replacements, GatewayNodes? gateway, Func<string, string?>? chosen = null, IReadOnlyList<OperationRecord>? drains = null)
    {
        var edits = new List<PoolEdit>();
        var byName = gateway?.Nodes.ToDictionary(n => n.Node, StringComparer.Ordinal) ?? new Dictionary<string, GatewayNode>();
        for (var i = 0; i < config.Pools.Count; i++)
        {
            var pool = config.Pools[i];
            if (!pool.ListsNodes) continue;
            var ids = pool.NodeIds;
            var everUsed = ledger.EverUsed(stack, pool.Name);
            var remove = Array.Empty<string>() as IReadOnlyList<string>;
            var add = Array.Empty<string>() as IReadOnlyList<string>;
            if (desired.TryGetValue(pool.Name, out var want))
            {
                // Bounds may have changed in git since the request was clamped.
                want = Math.Clamp(want, pool.Min, pool.Max);
                if (want > ids.Count) add = NodeIdAllocator.Next(ids, everUsed, want - ids.Count);
                else if (want < ids.Count)
                {
                    var named = (drains ?? []).Where(d => d.Pool == pool.Name && d.Node is not null && ids.Contains(d.Node))
                        .Select(d => d.Node!).Distinct(StringComparer.Ordinal).Take(ids.Count - want).ToArray();
                    remove = [.. named, .. VictimSelector.Choose(ids.Except(named, StringComparer.Ordinal).ToArray(), ids.Count - want - named.Length,
                        id => byName.GetValueOrDefault(nodeName(stack, pool.Name, id)), config.Cloud, ledger.AddedAt(stack, pool.Name), time.GetUtcNow())];
                }
            }
            // A replacement resumed after a restart keeps the id it chose before (recorded with the operation), and one
            // already in the file is not added again: a crash between the edit and the up must not add two nodes.
            var dead = replacements.Where(r => r.Pool == pool.Name && r.Node is not null && ids.Contains(r.Node) && !remove.Contains(r.Node))
                .GroupBy(r => r.Node!).Select(g => (Dead: g.Key, Known: g.Select(o => chosen?.Invoke(o.Id)).FirstOrDefault(n => n is not null))).ToArray();
            var fresh = NodeIdAllocator.Next([.. ids, .. add, .. dead.Where(d => d.Known is not null).Select(d => d.Known!)], everUsed, dead.Count(d => d.Known is null));
            var next = 0;
            var replace = dead.Select(d => d.Known is { } known ? new Replacement(d.Dead, known, ids.Contains(known)) : new Replacement(d.Dead, fresh[next++])).ToArray();
            var edit = new PoolEdit(i, pool, remove, add, replace);
            if (!edit.IsEmpty) edits.Add(edit);
        }
        return edits;
    }
}
