using System.Text.Json.Nodes;
using Fleet.Infra.Configuration;
using Fleet.Stacks.Persistence;

namespace Fleet.Stacks.Git;

/// <summary>
/// In git mode the stack file is reset to git before every run, so it can no longer carry the node lists between runs:
/// this table (<c>node_lists</c>, same database) does. It holds the lists the service last wrote into the stack file —
/// recorded after its edits and before the <c>up</c> that deploys them, after every successful <c>up</c>, and after a
/// failed run put the file back — in the shape of the <c>pools</c> output (<c>{"burst":{"nodes":["a1"]}}</c>).
/// </summary>
public sealed class NodeListRecord
{
    private readonly StacksDatabase _db;
    private readonly TimeProvider _time;

    public NodeListRecord(StacksDatabase db, TimeProvider time)
    {
        (_db, _time) = (db, time);
        using var c = db.Open();
        StacksDatabase.Execute(c, "CREATE TABLE IF NOT EXISTS node_lists(stack TEXT PRIMARY KEY, pools TEXT NOT NULL, updated_at INTEGER NOT NULL)");
    }

    /// <summary>Records the node lists of every pool of <paramref name="config"/> that lists its nodes.</summary>
    public void Set(string stack, FleetConfig config)
    {
        var pools = new JsonObject();
        foreach (var pool in config.Pools.Where(p => p.ListsNodes))
            pools[pool.Name] = new JsonObject { ["nodes"] = new JsonArray(pool.NodeIds.Select(id => (JsonNode)id).ToArray()) };
        using var gate = _db.WriteGate.EnterScope();
        using var c = _db.Open();
        OperationStore.Exec(c, null, "INSERT INTO node_lists(stack, pools, updated_at) VALUES ($s, $p, $now) ON CONFLICT(stack) DO UPDATE SET pools=excluded.pools, updated_at=excluded.updated_at",
            ("$s", stack), ("$p", pools.ToJsonString()), ("$now", _time.GetUtcNow().ToUnixTimeMilliseconds()));
    }

    /// <summary>The recorded lists, or null when none were recorded yet (the first run in git mode).</summary>
    public JsonObject? Get(string stack)
    {
        using var c = _db.Open();
        return OperationStore.Scalar<string>(c, null, "SELECT pools FROM node_lists WHERE stack=$s", ("$s", stack)) is { } json ? JsonNode.Parse(json) as JsonObject : null;
    }
}
