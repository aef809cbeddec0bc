using Fleet.Stacks.Hosting;
using Fleet.Stacks.Persistence;

namespace Fleet.Stacks.Console;

/// <summary>The operations log the console shows: the newest operations of every stack, read through <see cref="OperationStore"/>.</summary>
public sealed class ConsoleOperationLog(StacksDatabase db, OperationStore store)
{
    public const int Size = 25;

    public IReadOnlyList<OperationView> Recent()
    {
        var ids = new List<string>(Size);
        using (var c = db.Open())
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT id FROM operations ORDER BY created_at DESC, id DESC LIMIT $n";
            cmd.Parameters.AddWithValue("$n", Size);
            using var r = cmd.ExecuteReader();
            while (r.Read()) ids.Add(r.GetString(0));
        }
        // One row read per id keeps the mapping from rows to records in OperationStore alone.
        return ids.Select(store.Get).OfType<OperationRecord>()
            .Select(op => new OperationView(op, op.RunId is null ? null : store.GetRun(op.RunId))).ToArray();
    }
}
