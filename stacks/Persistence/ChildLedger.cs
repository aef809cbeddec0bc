using System.Diagnostics;
using Fleet.Stacks.Pulumi;

namespace Fleet.Stacks.Persistence;

/// <summary>
/// Every <c>pulumi</c> child the service starts, recorded before it can do anything and forgotten when it ends. Rows
/// found at start belong to a previous process that died with them running: <see cref="Orphans"/>.
/// </summary>
public sealed class ChildLedger : IChildTracker
{
    private readonly StacksDatabase _db;
    private readonly TimeProvider _time;
    private readonly List<Child> _orphans;

    public ChildLedger(StacksDatabase db, TimeProvider time)
    {
        (_db, _time) = (db, time);
        using var c = db.Open();
        using var cmd = OperationStore.Command(c, null, "SELECT id, stack, pid, process_started, command FROM children ORDER BY id");
        using var r = cmd.ExecuteReader();
        _orphans = [];
        while (r.Read())
            _orphans.Add(new Child(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt32(2), r.GetInt64(3), r.GetString(4)));
    }

    /// <summary>A <c>pulumi</c> process: its pid and start time (so a reused pid is not mistaken for it) and its command.</summary>
    public sealed record Child(long Id, string? Stack, int Pid, long ProcessStartedMs, string Command)
    {
        public bool IsUp => Command.StartsWith("up ", StringComparison.Ordinal);
    }

    /// <summary>Children of a previous process for <paramref name="stack"/> not yet settled.</summary>
    public IReadOnlyList<Child> Orphans(string stack)
    {
        lock (_orphans) return _orphans.Where(o => o.Stack == stack).ToArray();
    }

    public long Started(int processId, IReadOnlyList<string> args)
    {
        var stack = args.ToList().IndexOf("--stack") is var i and >= 0 && i + 1 < args.Count ? args[i + 1] : null;
        using var gate = _db.WriteGate.EnterScope();
        using var c = _db.Open();
        OperationStore.Exec(c, null, "INSERT INTO children(stack, pid, process_started, command, started_at) VALUES ($s, $p, $ps, $cmd, $now)",
            ("$s", stack), ("$p", processId), ("$ps", ProcessStartedMs(processId)), ("$cmd", string.Join(' ', args)), ("$now", _time.GetUtcNow().ToUnixTimeMilliseconds()));
        return OperationStore.Scalar<long>(c, null, "SELECT last_insert_rowid()");
    }

    public void Exited(long child) => Forget(child);

    /// <summary>Forgets a child (it ended, or its orphaned lock was cancelled).</summary>
    public void Forget(long child)
    {
        lock (_orphans) _orphans.RemoveAll(o => o.Id == child);
        using var gate = _db.WriteGate.EnterScope();
        using var c = _db.Open();
        OperationStore.Exec(c, null, "DELETE FROM children WHERE id=$id", ("$id", child));
    }

    /// <summary>Whether the recorded process still runs: same pid, same start time, not a zombie.</summary>
    public static bool IsAlive(Child child)
    {
        try
        {
            using var p = Process.GetProcessById(child.Pid);
            if (p.HasExited) return false;
            if (File.Exists($"/proc/{child.Pid}/stat"))
            {
                var stat = File.ReadAllText($"/proc/{child.Pid}/stat");
                var state = stat[(stat.LastIndexOf(')') + 2)..].FirstOrDefault();
                if (state is 'Z' or 'X' or 'x') return false;
            }
            return child.ProcessStartedMs == 0 || Math.Abs(ProcessStartedMs(child.Pid) - child.ProcessStartedMs) < 2000;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long ProcessStartedMs(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return new DateTimeOffset(p.StartTime.ToUniversalTime(), TimeSpan.Zero).ToUnixTimeMilliseconds();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return 0;
        }
    }
}
