using Fleet.Policy.Model;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP001: every server is bound to a firewall — by tag, label selector or id.</summary>
public sealed class FirewallCoverageRule : StackRule
{
    public override string Id => "FP001";
    public override string Name => "server-has-firewall";
    public override string Description => "Every server is covered by a cloud firewall (bound by tag, label selector or explicit id).";

    public override void Check(PolicyProgram program, FleetTopology topology, PolicyReport report)
    {
        foreach (var server in topology.Servers.Where(s => !topology.IsCovered(s)))
            report.Violation(server.Resource.Name, "no firewall applies to this server, so every port it opens is reachable from the internet",
                "give it the fleet's node tag/label so the fleet firewalls bind to it");
    }
}
