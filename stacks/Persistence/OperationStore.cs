using System.Text.Json;
using Fleet.Stacks.Hosting;
using Microsoft.Data.Sqlite;

namespace Fleet.Stacks.Persistence;

/// <summary>
/// Operations, runs, deliveries and desired sizes. Each method is one transaction; the desired size and the
/// operation that set it are written together, so a crash can never leave one without the other.
/// </summary>
public sealed partial class OperationStore(StacksDatabase db, TimeProvider time)
{
    /// <summary>Records a scale request and makes it the pool's desired size. A known delivery id returns the first operation.</summary>
    public (OperationRecord Operation, bool Duplicate) AcceptScale(ScaleIntent intent, string? deliveryId)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        if (deliveryId is not null && Scalar<string>(c, tx, "SELECT operation_id FROM deliveries WHERE id=$id", ("$id", deliveryId)) is { } existing)
            return (Read(c, tx, existing)!, true);
        var now = Now();
        var id = NewId("op", now);
        Exec(c, tx, """
            INSERT INTO operations(id, kind, source, stack, pool, requested, target, reason, state, created_at, updated_at)
            VALUES ($id, 'scale', $source, $stack, $pool, $requested, $target, $reason, 'accepted', $now, $now)
            """, ("$id", id), ("$source", intent.Source), ("$stack", intent.Stack), ("$pool", intent.Pool),
            ("$requested", intent.Requested), ("$target", intent.Target), ("$reason", intent.Reason), ("$now", now));
        Exec(c, tx, """
            INSERT INTO desired(stack, pool, nodes, operation_id, updated_at) VALUES ($stack, $pool, $target, $id, $now)
            ON CONFLICT(stack, pool) DO UPDATE SET nodes=excluded.nodes, operation_id=excluded.operation_id, updated_at=excluded.updated_at
            """, ("$stack", intent.Stack), ("$pool", intent.Pool), ("$target", intent.Target), ("$id", id), ("$now", now));
        if (deliveryId is not null)
        {
            Exec(c, tx, "INSERT INTO deliveries(id, operation_id, received_at) VALUES ($d, $id, $now)", ("$d", deliveryId), ("$id", id), ("$now", now));
            // Senders retry within the 5-minute window; a day of ids is plenty to recognise them.
            Exec(c, tx, "DELETE FROM deliveries WHERE received_at < $cutoff", ("$cutoff", now - (long)TimeSpan.FromDays(1).TotalMilliseconds));
        }
        var op = Read(c, tx, id)!;
        tx.Commit();
        return (op, false);
    }

    /// <summary>
    /// Records a dead-node replacement, unless one for that node is pending, running, or failed less than an hour ago
    /// (a replacement that never became ready must not add node after node).
    /// </summary>
    public OperationRecord? AcceptReplace(string stack, string pool, string node, string reason)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var now = Now();
        if (Scalar<string>(c, tx, """
                SELECT id FROM operations WHERE stack=$s AND pool=$p AND node=$n AND kind='replace'
                AND (state IN ('accepted','applying') OR (state='failed' AND updated_at > $since))
                """, ("$s", stack), ("$p", pool), ("$n", node), ("$since", now - (long)TimeSpan.FromHours(1).TotalMilliseconds)) is not null)
            return null;
        var id = NewId("op", now);
        Exec(c, tx, """
            INSERT INTO operations(id, kind, source, stack, pool, node, reason, state, created_at, updated_at)
            VALUES ($id, 'replace', 'replacer', $stack, $pool, $node, $reason, 'accepted', $now, $now)
            """, ("$id", id), ("$stack", stack), ("$pool", pool), ("$node", node), ("$reason", reason), ("$now", now));
        var op = Read(c, tx, id)!;
        tx.Commit();
        return op;
    }

    /// <summary>Starts a run with every accepted operation of the stack; null when there is nothing to do.</summary>
    public (RunRecord Run, IReadOnlyList<OperationRecord> Operations)? Claim(string stack)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var pending = Query(c, tx, "SELECT * FROM operations WHERE stack=$s AND state='accepted' ORDER BY created_at, id", ("$s", stack));
        if (pending.Count == 0) return null;
        var now = Now();
        var runId = NewId("run", now);
        Exec(c, tx, "INSERT INTO runs(id, stack, state, started_at) VALUES ($id, $s, 'running', $now)", ("$id", runId), ("$s", stack), ("$now", now));
        Exec(c, tx, "UPDATE operations SET state='applying', run_id=$r, updated_at=$now WHERE stack=$s AND state='accepted'", ("$r", runId), ("$s", stack), ("$now", now));
        var ops = Query(c, tx, "SELECT * FROM operations WHERE run_id=$r ORDER BY created_at, id", ("$r", runId));
        tx.Commit();
        return (GetRun(runId)!, ops);
    }

    /// <summary>Starts a run with no operation: a reconciliation (an <c>up</c> owed by an earlier crash or edit).</summary>
    public RunRecord StartRun(string stack)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        var now = Now();
        var runId = NewId("run", now);
        Exec(c, null, "INSERT INTO runs(id, stack, state, started_at) VALUES ($id, $s, 'running', $now)", ("$id", runId), ("$s", stack), ("$now", now));
        return GetRun(runId)!;
    }

    /// <summary>The id chosen to replace a replacement operation's dead node, recorded before it is added; null before.</summary>
    public string? ReplacementNode(string operationId)
    {
        using var c = db.Open();
        return Scalar<string>(c, null, "SELECT new_node FROM replacements WHERE operation_id=$id", ("$id", operationId));
    }

    public void SetReplacementNode(string operationId, string node)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        Exec(c, null, "INSERT INTO replacements(operation_id, new_node) VALUES ($id, $n) ON CONFLICT(operation_id) DO UPDATE SET new_node=excluded.new_node",
            ("$id", operationId), ("$n", node));
    }

    public void AppendCommand(string runId, IReadOnlyList<string> argv)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        Exec(c, null, "UPDATE runs SET commands=json_insert(commands, '$[#]', $cmd) WHERE id=$id",
            ("$cmd", "pulumi " + string.Join(' ', argv)), ("$id", runId));
    }

    public void SetProgress(string runId, string progress)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        Exec(c, null, "UPDATE runs SET progress=$p WHERE id=$id", ("$p", progress), ("$id", runId));
    }

    /// <summary>Ends a run and every operation in it: succeeded, or failed with <paramref name="error"/>.</summary>
    public void Finish(string runId, string? summaryJson, string? error)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var now = Now();
        var state = error is null ? OperationKinds.Succeeded : OperationKinds.Failed;
        Exec(c, tx, "UPDATE runs SET state=$st, finished_at=$now, summary=$sum, error=$err WHERE id=$id",
            ("$st", state), ("$now", now), ("$sum", summaryJson), ("$err", error), ("$id", runId));
        Exec(c, tx, "UPDATE operations SET state=$st, error=$err, updated_at=$now WHERE run_id=$id AND state='applying'",
            ("$st", state), ("$err", error), ("$now", now), ("$id", runId));
        tx.Commit();
    }

    /// <summary>
    /// After a restart: operations left applying go back to accepted (their run is marked interrupted), unless they
    /// were already resumed <paramref name="maxResumes"/> times or their stack is no longer served; those fail with the reason.
    /// </summary>
    public IReadOnlyList<OperationRecord> RecoverInterrupted(IReadOnlyCollection<string> servedStacks, int maxResumes)
    {
        using var gate = db.WriteGate.EnterScope();
        using var c = db.Open();
        using var tx = c.BeginTransaction();
        var now = Now();
        var stale = Query(c, tx, "SELECT * FROM operations WHERE state IN ('accepted','applying')");
        foreach (var op in stale)
        {
            if (!servedStacks.Contains(op.Stack))
                Exec(c, tx, "UPDATE operations SET state='failed', error=$e, updated_at=$now WHERE id=$id",
                    ("$e", $"the service restarted and no longer serves stack {op.Stack} (FLEET_STACKS); send the request to the instance that does"), ("$now", now), ("$id", op.Id));
            else if (op.State == OperationKinds.Applying && op.Resumes >= maxResumes)
                Exec(c, tx, "UPDATE operations SET state='failed', error=$e, updated_at=$now WHERE id=$id",
                    ("$e", $"interrupted by a service restart {op.Resumes + 1} times during run {op.RunId}; not resumed again — check `pulumi stack --stack {op.Stack}` and send the request again"), ("$now", now), ("$id", op.Id));
            else if (op.State == OperationKinds.Applying)
                Exec(c, tx, "UPDATE operations SET state='accepted', resumes=resumes+1, run_id=NULL, updated_at=$now WHERE id=$id", ("$now", now), ("$id", op.Id));
        }
        Exec(c, tx, "UPDATE runs SET state='interrupted', finished_at=$now, error='the service stopped during this run; its operations were resumed or failed at restart' WHERE state='running'", ("$now", now));
        var result = Query(c, tx, "SELECT * FROM operations WHERE id IN (SELECT value FROM json_each($ids))", ("$ids", JsonSerializer.Serialize(stale.Select(o => o.Id).ToArray(), StacksJsonContext.Default.StringArray)));
        tx.Commit();
        return result;
    }

    public OperationRecord? Get(string id)
    {
        using var c = db.Open();
        return Read(c, null, id);
    }

    public RunRecord? GetRun(string id)
    {
        using var c = db.Open();
        using var cmd = Command(c, null, "SELECT * FROM runs WHERE id=$id", ("$id", id));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadRun(r) : null;
    }

    public RunRecord? LastRun(string stack)
    {
        using var c = db.Open();
        using var cmd = Command(c, null, "SELECT * FROM runs WHERE stack=$s ORDER BY started_at DESC, id DESC LIMIT 1", ("$s", stack));
        using var r = cmd.ExecuteReader();
        return r.Read() ? ReadRun(r) : null;
    }

    /// <summary>Desired size per pool of a stack (pools nobody has scaled yet are absent).</summary>
    public IReadOnlyDictionary<string, int> Desired(string stack)
    {
        using var c = db.Open();
        using var cmd = Command(c, null, "SELECT pool, nodes FROM desired WHERE stack=$s", ("$s", stack));
        using var r = cmd.ExecuteReader();
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        while (r.Read()) result[r.GetString(0)] = r.GetInt32(1);
        return result;
    }

    public int PendingCount(string stack)
    {
        using var c = db.Open();
        return (int)(Scalar<long?>(c, null, "SELECT COUNT(*) FROM operations WHERE stack=$s AND state IN ('accepted','applying')", ("$s", stack)) ?? 0);
    }

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string NewId(string prefix, long nowMs) =>
        $"{prefix}_{Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(nowMs)):N}";

    private static OperationRecord? Read(SqliteConnection c, SqliteTransaction? tx, string id) =>
        Query(c, tx, "SELECT * FROM operations WHERE id=$id", ("$id", id)).FirstOrDefault();

    private static List<OperationRecord> Query(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        using var r = cmd.ExecuteReader();
        var list = new List<OperationRecord>();
        while (r.Read())
            list.Add(new OperationRecord(r.GetString(r.GetOrdinal("id")), r.GetString(r.GetOrdinal("kind")), r.GetString(r.GetOrdinal("source")),
                r.GetString(r.GetOrdinal("stack")), r.GetString(r.GetOrdinal("pool")), NullableInt(r, "requested"), NullableInt(r, "target"),
                NullableString(r, "node"), NullableString(r, "reason"), r.GetString(r.GetOrdinal("state")), NullableString(r, "error"),
                Time(r.GetInt64(r.GetOrdinal("created_at"))), Time(r.GetInt64(r.GetOrdinal("updated_at"))), NullableString(r, "run_id"),
                r.GetInt32(r.GetOrdinal("resumes"))));
        return list;
    }

    private static RunRecord ReadRun(SqliteDataReader r) =>
        new(r.GetString(r.GetOrdinal("id")), r.GetString(r.GetOrdinal("stack")), r.GetString(r.GetOrdinal("state")),
            Time(r.GetInt64(r.GetOrdinal("started_at"))), r.IsDBNull(r.GetOrdinal("finished_at")) ? null : Time(r.GetInt64(r.GetOrdinal("finished_at"))),
            JsonSerializer.Deserialize(r.GetString(r.GetOrdinal("commands")), StacksJsonContext.Default.StringArray) ?? [],
            NullableString(r, "progress"), NullableString(r, "summary"), NullableString(r, "error"));

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private static int? NullableInt(SqliteDataReader r, string name) => r.IsDBNull(r.GetOrdinal(name)) ? null : r.GetInt32(r.GetOrdinal(name));

    private static string? NullableString(SqliteDataReader r, string name) => r.IsDBNull(r.GetOrdinal(name)) ? null : r.GetString(r.GetOrdinal(name));

    internal static T? Scalar<T>(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        var value = cmd.ExecuteScalar();
        return value is null or DBNull ? default : (T)value;
    }

    internal static void Exec(SqliteConnection c, SqliteTransaction? tx, string sql, params (string, object?)[] args)
    {
        using var cmd = Command(c, tx, sql, args);
        cmd.ExecuteNonQuery();
    }

    internal static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql, params (string Name, object? Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd;
    }
}
