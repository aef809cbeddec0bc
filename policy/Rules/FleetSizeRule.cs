using Fleet.Policy.Model;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP011: the stack stays within its node count and monthly cost ceiling.</summary>
public sealed class FleetSizeRule : StackRule
{
    public override string Id => "FP011";
    public override string Name => "node-count-and-cost-ceiling";
    public override string Description => "The number of servers stays within fleet:policy.maxNodes and their list price within fleet:policy.maxMonthlyCost.";

    public override void Check(PolicyProgram program, FleetTopology topology, PolicyReport report)
    {
        var c = program.Context;
        if (topology.Servers.Count > c.MaxNodes)
            report.Violation("stack", $"{topology.Servers.Count} servers exceed fleet:policy.maxNodes ({c.MaxNodes})", "remove nodes or raise fleet:policy.maxNodes");
        if (c.MaxMonthlyCost is not { } ceiling) return;
        var unpriced = topology.Servers.Select(s => s.Size ?? "?").Where(s => c.MonthlyPrice(s) is null).Distinct().ToArray();
        if (unpriced.Length > 0)
        {
            report.Violation("stack", $"cannot check the monthly cost ceiling: no list price for {string.Join(", ", unpriced)}", "use sizes from Fleet's price table or remove fleet:policy.maxMonthlyCost");
            return;
        }
        var total = topology.Servers.Sum(s => c.MonthlyPrice(s.Size!)!.Value);
        if (total > ceiling)
            report.Violation("stack", $"servers cost {total:0.00} {c.Currency}/month at list price, over the ceiling of {ceiling:0.00}", "remove or shrink nodes, or raise fleet:policy.maxMonthlyCost");
    }
}
