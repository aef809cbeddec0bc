using Fleet.Policy.Model;
using Fleet.Policy.Net;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP003: only 80/443 may be open to the internet, only on the manager, and no inbound rule opens every port.</summary>
public sealed class WorldOpenPortsRule : StackRule
{
    public override string Id => "FP003";
    public override string Name => "only-web-ports-public";
    public override string Description => "Only 80/443 may accept sources beyond the private network and fleet:adminCidrs, only on the manager; no inbound all-ports rule.";

    private static readonly PortRange Http = new(80, 80);
    private static readonly PortRange Https = new(443, 443);

    public override void Check(PolicyProgram program, FleetTopology topology, PolicyReport report)
    {
        var trusted = IpRangeSet.NonPublic.Union(IpRangeSet.Of([program.Context.NetworkCidr])).Union(AdminPlane.Trusted(program.Context.AdminCidrs));
        var managers = topology.Servers.Where(s => s.IsManager).Select(s => s.Resource.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var rule in topology.Rules.Where(r => r.Inbound))
        {
            if (rule.Ports.IsAllPorts && rule.Protocol is "tcp" or "udp")
            {
                report.Violation(rule.Firewall.Name, $"inbound {rule.Protocol} rule opens every port ({rule.Ports})", "list the ports the service needs");
                continue;
            }
            var open = rule.OtherAddresses.Where(a => !IpRange.TryParse(a, out var r) || !trusted.Covers(r)).ToArray();
            if (open.Length == 0 || rule.Protocol == "icmp") continue;
            var web = rule.Protocol == "tcp" && (rule.Ports == Http || rule.Ports == Https);
            if (!web)
                report.Violation(rule.Firewall.Name, $"{rule.Protocol} {rule.Ports} is open to {string.Join(", ", open)}; only 80 and 443 may face the internet", "restrict the sources to the private network or fleet:adminCidrs");
            else if (rule.TargetServers.Any(s => !managers.Contains(s)))
                report.Violation(rule.Firewall.Name, $"tcp {rule.Ports} is open to the internet on {string.Join(", ", rule.TargetServers.Where(s => !managers.Contains(s)).Order(StringComparer.Ordinal))}; only the manager (the TLS edge) serves the public", "bind the public firewall to the manager tag/label only");
        }
    }
}
