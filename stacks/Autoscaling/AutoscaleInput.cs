using Fleet.Stacks.Gateway;

namespace Fleet.Stacks.Autoscaling;

/// <summary>One window's view of a pool.</summary>
/// <param name="Current">Node ids the pool has now (or its pending desired size).</param>
/// <param name="Load">The gateway's figures for the pool; null when the gateway knows no node of it.</param>
/// <param name="OtherMonthlyCost">Monthly cost of everything else in the stack (manager, other pools).</param>
/// <param name="NodeMonthlyPrice">Monthly list price of one node of this pool; null when the catalog does not know the size.</param>
/// <param name="MaxMonthlyCost"><c>fleet:policy.maxMonthlyCost</c>; null for no ceiling.</param>
public sealed record AutoscaleInput(int Current, int Min, int Max, GatewayPoolLoad? Load, decimal OtherMonthlyCost, decimal? NodeMonthlyPrice, decimal? MaxMonthlyCost)
{
    /// <summary>
    /// The gateway's figures for the model this pool serves, when this pool is the one that starts that model from
    /// zero (<see cref="ColdStartPool"/>); null otherwise (other pools of the model, or a gateway without <c>models</c>).
    /// </summary>
    public GatewayModelLoad? ColdModel { get; init; }

    /// <summary>
    /// On Hetzner (billed per started hour): minutes left in the paid hour of the node a step down would remove (the
    /// scale planner's own choice); null on per-second billing or when that node's creation time is unknown.
    /// </summary>
    public double? PaidMinutesLeft { get; init; }
}
