using Fleet.Policy.Model;
using Fleet.Policy.Net;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>FP004: DigitalOcean firewalls deny unlisted outbound traffic, so every node needs DNS, NTP and HTTP(S) out to bootstrap.</summary>
public sealed class BootstrapEgressRule : StackRule
{
    public override string Id => "FP004";
    public override string Name => "bootstrap-egress";
    public override string Description => "On DigitalOcean every node's firewalls allow outbound DNS (53/udp), NTP (123/udp), HTTP (80/tcp) and HTTPS (443/tcp) to the internet.";

    private static readonly (string Protocol, int Port, string Purpose)[] Needed = [("udp", 53, "DNS"), ("udp", 123, "NTP"), ("tcp", 80, "package mirrors"), ("tcp", 443, "images and models")];

    public override void Check(PolicyProgram program, FleetTopology topology, PolicyReport report)
    {
        var world = IpRange.Parse("0.0.0.0/0");
        foreach (var server in topology.Servers.Where(s => s.Resource.Package == "digitalocean" && topology.IsCovered(s)))
        {
            var outbound = topology.RulesFor(server).Where(r => !r.Inbound).ToArray();
            var missing = Needed.Where(n => !outbound.Any(r => r.Protocol == n.Protocol && r.Ports.Contains(n.Port)
                && IpRangeSet.Of(r.Addresses).Covers(world))).ToArray();
            if (missing.Length > 0)
                report.Violation(server.Resource.Name, $"outbound {string.Join(", ", missing.Select(m => $"{m.Port}/{m.Protocol} ({m.Purpose})"))} is not allowed, so the node cannot bootstrap",
                    "add outbound rules to 0.0.0.0/0 and ::/0 for these ports");
        }
    }
}
