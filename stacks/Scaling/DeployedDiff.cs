using System.Text.Json.Nodes;
using Fleet.Infra.Configuration;

namespace Fleet.Stacks.Scaling;

/// <summary>The stack file's node lists against the last deployed <c>pools</c> output: any difference means an <c>up</c> is owed.</summary>
public static class DeployedDiff
{
    /// <summary>The first difference, in words, or null when every pool's deployed ids are exactly the configured ones.</summary>
    public static string? Of(FleetConfig config, JsonObject deployed)
    {
        foreach (var pool in config.Pools)
        {
            var ids = deployed[pool.Name]?["nodes"] is JsonArray nodes ? nodes.Select(n => n?.ToString() ?? "").ToArray() : null;
            if (ids is null) return $"pool {pool.Name} is in the stack file but not in the deployed pools output";
            if (!ids.SequenceEqual(pool.NodeIds, StringComparer.Ordinal))
                return $"pool {pool.Name}: the stack file lists [{string.Join(", ", pool.NodeIds)}], deployed [{string.Join(", ", ids)}]";
        }
        foreach (var name in deployed.Select(p => p.Key).Where(name => config.Pools.All(p => p.Name != name)))
            return $"pool {name} is deployed but no longer in the stack file";
        return null;
    }
}
