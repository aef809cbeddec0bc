using Fleet.Infra.Configuration;

namespace Fleet.Stacks.Scaling;

/// <summary>What one run changes in one pool: ids to drain and remove, ids to add, and dead ids to replace (new id first).</summary>
public sealed record PoolEdit(int Index, PoolConfig Pool, IReadOnlyList<string> Remove, IReadOnlyList<string> Add, IReadOnlyList<Replacement> Replace)
{
    public bool IsEmpty => Remove.Count == 0 && Add.Count == 0 && Replace.Count == 0;

    public override string ToString() =>
        $"{Pool.Name}: {Pool.NodeIds.Count} -> {Pool.NodeIds.Count - Remove.Count + Add.Count}"
        + (Add.Count > 0 ? $" add [{string.Join(", ", Add)}]" : "")
        + (Remove.Count > 0 ? $" remove [{string.Join(", ", Remove)}]" : "")
        + string.Concat(Replace.Select(r => $" replace {r.Dead} with {r.New}"));
}
