using System.Text.Json.Nodes;

namespace Fleet.Stacks.Persistence;

/// <summary>
/// What the service knows about node ids beyond the stack file: when it added each one (Hetzner bills per started
/// hour), which ids were ever used (never reused: the gateway may still remember a dead host of that name), and the
/// last deployed <c>pools</c> output.
/// </summary>
public sealed class NodeLedger(StacksDatabase db, TimeProvider time)
{
    /// <summary>Records <paramref name="ids"/> as added at <paramref name="at"/> (now when null): their creation time.</summary>
    public void Added(string stack, string pool, IEnumerable<string> ids, DateTimeOffset? at = null)
    {
        var when = (at ?? time.GetUtcNow()).ToUnixTimeMilliseconds();
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        foreach (var id in ids)
            OperationStore.Exec(c, tx, "INSERT INTO node_ids(stack, pool, id, added_at) VALUES ($s, $p, $id, $now) ON CONFLICT DO UPDATE SET added_at=excluded.added_at, removed_at=NULL",
                ("$s", stack), ("$p", pool), ("$id", id), ("$now", when));
        tx.Commit();
    }

    public void Removed(string stack, string pool, IEnumerable<string> ids)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        foreach (var id in ids)
            OperationStore.Exec(c, tx, """
                INSERT INTO node_ids(stack, pool, id, added_at, removed_at) VALUES ($s, $p, $id, 0, $now)
                ON CONFLICT DO UPDATE SET removed_at=excluded.removed_at
                """, ("$s", stack), ("$p", pool), ("$id", id), ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()));
        tx.Commit();
    }

    /// <summary>Every id this pool ever had, present or removed.</summary>
    public IReadOnlySet<string> EverUsed(string stack, string pool)
    {
        using var c = db.Open();
        using var cmd = OperationStore.Command(c, null, "SELECT id FROM node_ids WHERE stack=$s AND pool=$p", ("$s", stack), ("$p", pool));
        using var r = cmd.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read()) set.Add(r.GetString(0));
        return set;
    }

    /// <summary>When the service's own <c>up</c> created each node (ids from git are unknown).</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> AddedAt(string stack, string pool)
    {
        using var c = db.Open();
        using var cmd = OperationStore.Command(c, null, "SELECT id, added_at FROM node_ids WHERE stack=$s AND pool=$p AND removed_at IS NULL AND added_at > 0", ("$s", stack), ("$p", pool));
        using var r = cmd.ExecuteReader();
        var map = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (r.Read()) map[r.GetString(0)] = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1));
        return map;
    }

    public void SetDeployed(string stack, JsonObject pools)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        OperationStore.Exec(c, null, "INSERT INTO deployed(stack, pools, updated_at) VALUES ($s, $p, $now) ON CONFLICT(stack) DO UPDATE SET pools=excluded.pools, updated_at=excluded.updated_at",
            ("$s", stack), ("$p", pools.ToJsonString()), ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    public JsonObject? Deployed(string stack)
    {
        using var c = db.Open();
        return OperationStore.Scalar<string>(c, null, "SELECT pools FROM deployed WHERE stack=$s", ("$s", stack)) is { } json ? JsonNode.Parse(json) as JsonObject : null;
    }

    /// <summary>
    /// Records that the stack owes an <c>up</c>: its file is (about to be) edited, or an <c>up</c> did not finish. Written
    /// before the edit, cleared only by an <c>up</c> that started after it and succeeded, so a crash in between is seen at restart.
    /// </summary>
    public void MarkOwed(string stack, string reason)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        OperationStore.Exec(c, null, "INSERT INTO owed(stack, reason, since) VALUES ($s, $r, $now) ON CONFLICT(stack) DO NOTHING",
            ("$s", stack), ("$r", reason), ("$now", time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    public void ClearOwed(string stack)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        OperationStore.Exec(c, null, "DELETE FROM owed WHERE stack=$s", ("$s", stack));
    }

    /// <summary>Why an <c>up</c> is owed, or null.</summary>
    public string? Owed(string stack)
    {
        using var c = db.Open();
        return OperationStore.Scalar<string>(c, null, "SELECT reason FROM owed WHERE stack=$s", ("$s", stack));
    }
}
