using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Clouds.Hetzner;

/// <summary>Server labels and the label selectors firewalls bind by (string-typed: no integer server ids).</summary>
public sealed class HetznerLabels(string stack)
{
    public const string StackKey = "fleet.stack";
    public const string RoleKey = "fleet.role";
    public const string PoolKey = "fleet.pool";

    public PMap Manager() => new PMapBuilder { { StackKey, stack }, { RoleKey, "manager" } }.Build();

    public PMap Worker(PoolConfig pool) => new PMapBuilder { { StackKey, stack }, { RoleKey, "worker" }, { PoolKey, pool.Name } }.Build();

    public string AllNodesSelector => $"{StackKey}={stack}";

    public string ManagerSelector => $"{StackKey}={stack},{RoleKey}=manager";
}
