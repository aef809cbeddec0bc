using Fleet.Stacks.Pulumi;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// What a node-list change may do, checked against <c>pulumi preview --json</c> before every <c>up</c>. Each step is
/// classified by the resource's logical name (from its URN; the names are infra's, see
/// tests/Fleet.Infra.Tests/Snapshots) and its op:
/// <list type="bullet">
/// <item><c>same</c> and <c>read</c>: anywhere (nothing changes).</item>
/// <item>A worker of a pool this run changes — <c>worker-&lt;pool&gt;-&lt;id&gt;</c> (the server),
/// <c>node-credential-&lt;pool&gt;-&lt;id&gt;</c> (its random password), <c>node-membership-&lt;pool&gt;-&lt;id&gt;</c>
/// (its removal step): <c>create</c> and <c>delete</c> only. An update or a replacement of an existing worker is not
/// something a list edit causes.</item>
/// <item>What lists the nodes — <c>gateway-nodes-file</c> (Swarm: the command writing the gateway's nodes file),
/// <c>gateway-files</c> (k3s: the gateway's Secret) and the root stack (<c>pulumi:pulumi:Stack</c>, whose outputs
/// list the pools): <c>update</c> only. A replacement of the list would mean its trigger, the manager, changed.</item>
/// <item>Everything else — the manager, its address, the cluster state (join token, kubeconfig, providers), the
/// gateway's and agents' services, firewalls, networks, keys, certificates, tags, and workers of pools this run does
/// not change: any other op is refused, <c>update</c> included (e.g. <c>service-gateway</c>: a list edit never touches
/// it, so an update there means the program or the stack file changed in some other way).</item>
/// </list>
/// Unknown ops are refused. A worker name is matched to the longest configured pool name it starts with (pool names
/// and node ids may both contain '-').
/// </summary>
public sealed class PlanGuard
{
    public const string RootStackType = "pulumi:pulumi:Stack";

    private static readonly string[] WorkerPrefixes = ["worker-", "node-credential-", "node-membership-"];
    private static readonly HashSet<string> NodeLists = new(StringComparer.Ordinal) { "gateway-nodes-file", "gateway-files" };

    private readonly IReadOnlySet<string> _touched;
    private readonly string[] _pools;

    /// <param name="touchedPools">The pools whose node lists this run changes (may add or remove workers).</param>
    /// <param name="allPools">Every pool of the stack (to attribute a worker name to the right pool).</param>
    public PlanGuard(IEnumerable<string> touchedPools, IEnumerable<string> allPools)
    {
        _touched = new HashSet<string>(touchedPools, StringComparer.Ordinal);
        _pools = [.. allPools.Concat(_touched).Distinct(StringComparer.Ordinal).OrderByDescending(p => p.Length)];
    }

    /// <summary>Every step of the plan this run must not take, in the preview's order (empty: go ahead).</summary>
    public IReadOnlyList<RefusedStep> Refused(PreviewDigest plan) =>
        [.. (plan.Steps ?? []).Where(s => !Allowed(s)).Select(s => new RefusedStep(s.Op, s.Name, s.Urn))];

    public bool Allowed(PreviewStep step)
    {
        if (step.Op is "same" or "read") return true;
        if (step.Type == RootStackType) return step.Op == "update";
        var name = step.Name;
        if (NodeLists.Contains(name)) return step.Op == "update";
        if (step.Op is not ("create" or "delete")) return false;
        return PoolOf(name) is { } pool && _touched.Contains(pool);
    }

    /// <summary>The pool a worker resource belongs to, or null when the name is not a worker's.</summary>
    public string? PoolOf(string name)
    {
        foreach (var prefix in WorkerPrefixes)
        {
            if (!name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = name[prefix.Length..];
            foreach (var pool in _pools)
                if (rest.Length > pool.Length + 1 && rest.StartsWith(pool, StringComparison.Ordinal) && rest[pool.Length] == '-')
                    return pool;
            return null;
        }
        return null;
    }
}
