using Fleet.Infra.Configuration;

namespace Fleet.Stacks.Scaling;

/// <summary>A pool the control service may change: served stack, readable stack file, pool that lists its node ids.</summary>
/// <param name="Index">The pool's index in <c>pools</c>, for <c>pulumi config set --path</c> fixes.</param>
public sealed record ManagedPool(string Stack, FleetConfig Config, PoolConfig Pool, int Index)
{
    /// <summary>The config path of one of the pool's keys, as a fix names it: <c>fleet:pools[1].min</c>.</summary>
    public string Path(string key) => $"{Config.Project}:pools[{Index}].{key}";
}
