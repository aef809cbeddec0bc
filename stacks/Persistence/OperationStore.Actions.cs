using Microsoft.Data.Sqlite;

namespace Fleet.Stacks.Persistence;

/// <summary>The console's node and autoscaler actions, each one transaction like the rest of the store.</summary>
public sealed partial class OperationStore
{
    /// <summary>
    /// Records the removal of one named node: the pool's desired size (the last accepted, else <paramref name="configured"/>)
    /// one lower, committed with the operation that names the victim. A drain of that node still pending, or a known
    /// <paramref name="requestKey"/>, returns that operation; a size already at <paramref name="min"/> records nothing, and so
    /// does a replacement of that node still pending (returned as <see cref="DrainAcceptance.Busy"/>).
    /// </summary>
    public DrainAcceptance AcceptDrain(NodeIntent intent, int configured, int min, string? requestKey)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var size = (int)(Scalar<long?>(c, tx, "SELECT nodes FROM desired WHERE stack=$s AND pool=$p", ("$s", intent.Stack), ("$p", intent.Pool)) ?? configured);
        if ((Known(c, tx, requestKey) ?? PendingFor(c, tx, OperationKinds.Drain, intent)) is { } existing)
            return new DrainAcceptance(Read(c, tx, existing), true, size);
        // Both at once would drop the replacement (the planner skips a replacement whose node a scale-down removes) yet
        // report it done; which happens would depend on whether the replacement's new node is in the file yet.
        if (PendingFor(c, tx, OperationKinds.Replace, intent) is { } replacing)
            return new DrainAcceptance(null, false, size, Read(c, tx, replacing));
        if (size - 1 < min) return new DrainAcceptance(null, false, size);
        var now = Now();
        var id = NewId("op", now);
        Exec(c, tx, """
            INSERT INTO operations(id, kind, source, stack, pool, requested, target, node, reason, state, created_at, updated_at)
            VALUES ($id, 'drain', $source, $stack, $pool, $target, $target, $node, $reason, 'accepted', $now, $now)
            """, ("$id", id), ("$source", intent.Source), ("$stack", intent.Stack), ("$pool", intent.Pool), ("$target", size - 1),
            ("$node", intent.Node), ("$reason", intent.Reason), ("$now", now));
        Exec(c, tx, """
            INSERT INTO desired(stack, pool, nodes, operation_id, updated_at) VALUES ($stack, $pool, $target, $id, $now)
            ON CONFLICT(stack, pool) DO UPDATE SET nodes=excluded.nodes, operation_id=excluded.operation_id, updated_at=excluded.updated_at
            """, ("$stack", intent.Stack), ("$pool", intent.Pool), ("$target", size - 1), ("$id", id), ("$now", now));
        Remember(c, tx, requestKey, id, now);
        var op = Read(c, tx, id)!;
        tx.Commit();
        return new DrainAcceptance(op, false, size - 1);
    }

    /// <summary>
    /// Records an operator's replacement of a node (new node first, then the old one drained and removed). A replacement
    /// of that node still pending, or a known <paramref name="requestKey"/>, returns that operation instead; a drain of
    /// that node still pending records nothing and is returned as <c>Busy</c> (the drain removes the node: nothing to replace).
    /// </summary>
    public (OperationRecord? Operation, bool Duplicate, OperationRecord? Busy) AcceptNodeReplace(NodeIntent intent, string? requestKey)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        if ((Known(c, tx, requestKey) ?? PendingFor(c, tx, OperationKinds.Replace, intent)) is { } existing) return (Read(c, tx, existing)!, true, null);
        if (PendingFor(c, tx, OperationKinds.Drain, intent) is { } draining) return (null, false, Read(c, tx, draining));
        var now = Now();
        var id = NewId("op", now);
        Exec(c, tx, """
            INSERT INTO operations(id, kind, source, stack, pool, node, reason, state, created_at, updated_at)
            VALUES ($id, 'replace', $source, $stack, $pool, $node, $reason, 'accepted', $now, $now)
            """, ("$id", id), ("$source", intent.Source), ("$stack", intent.Stack), ("$pool", intent.Pool), ("$node", intent.Node),
            ("$reason", intent.Reason), ("$now", now));
        Remember(c, tx, requestKey, id, now);
        var op = Read(c, tx, id)!;
        tx.Commit();
        return (op, false, null);
    }

    /// <summary>
    /// Pauses or resumes the autoscaler for a pool, persisted (it survives a restart), with an operation recorded as
    /// succeeded: nothing is deployed. A known <paramref name="requestKey"/> returns the first operation.
    /// </summary>
    public (OperationRecord Operation, bool Duplicate) SetAutoscalePaused(string stack, string pool, bool paused, string source, string? requestKey)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        if (Known(c, tx, requestKey) is { } existing) return (Read(c, tx, existing)!, true);
        var was = Scalar<string>(c, tx, "SELECT operation_id FROM autoscale_paused WHERE stack=$s AND pool=$p", ("$s", stack), ("$p", pool)) is not null;
        var now = Now();
        var id = NewId("op", now);
        var reason = (paused ? "autoscaler paused" : "autoscaler resumed") + (was == paused ? $" (it already was {(paused ? "paused" : "running")})" : "");
        Exec(c, tx, """
            INSERT INTO operations(id, kind, source, stack, pool, reason, state, created_at, updated_at)
            VALUES ($id, 'autoscale', $source, $stack, $pool, $reason, 'succeeded', $now, $now)
            """, ("$id", id), ("$source", source), ("$stack", stack), ("$pool", pool), ("$reason", reason), ("$now", now));
        if (paused && !was)
            Exec(c, tx, "INSERT INTO autoscale_paused(stack, pool, operation_id, since) VALUES ($s, $p, $id, $now)", ("$s", stack), ("$p", pool), ("$id", id), ("$now", now));
        else if (!paused)
            Exec(c, tx, "DELETE FROM autoscale_paused WHERE stack=$s AND pool=$p", ("$s", stack), ("$p", pool));
        Remember(c, tx, requestKey, id, now);
        var op = Read(c, tx, id)!;
        tx.Commit();
        return (op, false);
    }

    /// <summary>The pools of <paramref name="stack"/> whose autoscaler is paused, with when.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> AutoscalePaused(string stack)
    {
        using var c = db.Open();
        using var cmd = Command(c, null, "SELECT pool, since FROM autoscale_paused WHERE stack=$s", ("$s", stack));
        using var r = cmd.ExecuteReader();
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (r.Read()) result[r.GetString(0)] = Time(r.GetInt64(1));
        return result;
    }

    /// <summary>The operation a request key (a console request id, a webhook delivery id) was first answered with, or null.</summary>
    public OperationRecord? ByRequestKey(string requestKey)
    {
        using var c = db.Open();
        return Known(c, null, requestKey) is { } id ? Read(c, null, id) : null;
    }

    private static string? Known(SqliteConnection c, SqliteTransaction? tx, string? requestKey) =>
        requestKey is null ? null : Scalar<string>(c, tx, "SELECT operation_id FROM deliveries WHERE id=$id", ("$id", requestKey));

    private static string? PendingFor(SqliteConnection c, SqliteTransaction tx, string kind, NodeIntent intent) =>
        Scalar<string>(c, tx, "SELECT id FROM operations WHERE kind=$k AND stack=$s AND pool=$p AND node=$n AND state IN ('accepted','applying') ORDER BY created_at LIMIT 1",
            ("$k", kind), ("$s", intent.Stack), ("$p", intent.Pool), ("$n", intent.Node));

    private static void Remember(SqliteConnection c, SqliteTransaction tx, string? requestKey, string operationId, long now)
    {
        if (requestKey is not null)
            Exec(c, tx, "INSERT INTO deliveries(id, operation_id, received_at) VALUES ($d, $id, $now)", ("$d", requestKey), ("$id", operationId), ("$now", now));
    }
}
