using Fleet.Policy.Model;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP005: every server is attached to the private network.</summary>
public sealed class PrivateNetworkRule : StackRule
{
    public override string Id => "FP005";
    public override string Name => "server-on-private-network";
    public override string Description => "Every server is attached to the fleet's private network (DigitalOcean VPC, Hetzner network).";

    public override void Check(PolicyProgram program, FleetTopology topology, PolicyReport report)
    {
        foreach (var server in topology.Servers.Where(s => !s.OnPrivateNetwork))
            report.Violation(server.Resource.Name, "the server is not on the private network; cluster traffic would cross the public internet", "set vpcUuid (DigitalOcean) or attach the server to the network (Hetzner)");
    }
}
