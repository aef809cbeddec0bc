using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Orchestrators;

/// <summary>
/// How the manager records and forgets one worker's cluster node. <see cref="Record"/> runs when the worker is created: it
/// waits until a node with the worker's private address has joined and prints that node's identity (Swarm node id, k3s
/// node name), which it also keeps on the manager. <see cref="Forget"/> runs when the worker is removed or replaced —
/// before its server is deleted, because the engine deletes dependents first — and drains, then removes, exactly that
/// recorded node (docs/engine-semantics.md, "Delete order").
/// </summary>
public sealed record NodeMembership(PString Record, PString Forget)
{
    /// <summary>Where the manager keeps each worker's node identity, one file per cloud server id.</summary>
    public const string RecordDirectory = "/var/lib/fleet/members";

    /// <summary>How long <see cref="Record"/> waits for the worker to join (GPU nodes install a driver first).</summary>
    public const int JoinWaitSeconds = 1800;

    /// <summary>
    /// Prefixes <paramref name="body"/> with the shell variables it uses: <c>addr</c> (the worker's private address) and
    /// <c>rec</c> (its record file). The body is a literal (escaped for Pulumi YAML).
    /// </summary>
    public static PString Script(PString privateAddress, PString serverId, string body) =>
        Px.Concat("set -eu\naddr='", privateAddress, $"'\nrec={RecordDirectory}/", serverId, "\n", body);
}
