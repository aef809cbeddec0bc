using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Clouds.Hetzner;

/// <summary>Server labels and the label selectors firewalls bind by (string-typed: no integer server ids).</summary>
public sealed class HetznerLabels(string project, string stack)
{
    public const string ProjectKey = "fleet.project";
    public const string StackKey = "fleet.stack";
    public const string RoleKey = "fleet.role";
    public const string PoolKey = "fleet.pool";

    public PMap Manager() => new PMapBuilder { { ProjectKey, project }, { StackKey, stack }, { RoleKey, "manager" } }.Build();

    public PMap Worker(PoolConfig pool) => new PMapBuilder { { ProjectKey, project }, { StackKey, stack }, { RoleKey, "worker" }, { PoolKey, pool.Name } }.Build();

    /// <summary>Project and stack both: two Fleet projects with a <c>dev</c> stack in one Hetzner project stay apart.</summary>
    public string AllNodesSelector => $"{ProjectKey}={project},{StackKey}={stack}";

    public string ManagerSelector => $"{AllNodesSelector},{RoleKey}=manager";
}
