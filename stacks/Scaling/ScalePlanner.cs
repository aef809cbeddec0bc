using Fleet.Infra.Configuration;
using Fleet.Stacks.Gateway;
using Fleet.Stacks.Persistence;

namespace Fleet.Stacks.Scaling;

/// <summary>Turns desired sizes and pending replacements into per-pool edits of the node-id lists.</summary>
public sealed class ScalePlanner(NodeLedger ledger, Func<string, string, string, string> nodeName, TimeProvider time)
{
    public IReadOnlyList<PoolEdit> Plan(string stack, FleetConfig config, IReadOnlyDictionary<string, int> desired,
        IReadOnlyList<OperationRecord> replacements, GatewayNodes? gateway)
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
                    remove = VictimSelector.Choose(ids, ids.Count - want, id => byName.GetValueOrDefault(nodeName(stack, pool.Name, id)),
                        config.Cloud, ledger.AddedAt(stack, pool.Name), time.GetUtcNow());
            }
            var dead = replacements.Where(r => r.Pool == pool.Name && r.Node is not null && ids.Contains(r.Node) && !remove.Contains(r.Node))
                .Select(r => r.Node!).Distinct().ToArray();
            var fresh = NodeIdAllocator.Next([.. ids, .. add], everUsed, dead.Length);
            var replace = dead.Zip(fresh, (d, n) => new Replacement(d, n)).ToArray();
            var edit = new PoolEdit(i, pool, remove, add, replace);
            if (!edit.IsEmpty) edits.Add(edit);
        }
        return edits;
    }
}
