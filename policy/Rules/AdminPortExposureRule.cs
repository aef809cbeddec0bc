using Fleet.Policy.Model;
using Fleet.Policy.Net;
using Fleet.Policy.Topology;

namespace Fleet.Policy.Rules;

/// <summary>
/// FP002: admin ports are reachable only from the private network or <c>fleet:adminCidrs</c>, cluster ports only from the
/// private network — decided with CIDR and port-range arithmetic, so <c>1-1000</c> from <c>0.0.0.0/1</c> is SSH to half the internet.
/// </summary>
public sealed class AdminPortExposureRule : StackRule
{
    public override string Id => "FP002";
    public override string Name => "no-public-admin-ports";
    public override string Description => "Admin ports (22, 2376, 6443) accept only the private network and fleet:adminCidrs; cluster ports (2375, 2377, 7946, 4789, 8472, 10250, 2379-2380, 8080) only the private network.";

    private const string UntrustedAdmin = " (fleet:adminCidrs entries are trusted only when none embeds IPv4, each is at most a /16 or /32, and together they span at most one /16 of IPv4 and one /32 of IPv6)";

    public override void Check(PolicyProgram program, FleetTopology topology, PolicyReport report)
    {
        var privateNet = IpRangeSet.NonPublic.Union(IpRangeSet.Of([program.Context.NetworkCidr]));
        var adminAllowed = privateNet.Union(AdminPlane.Trusted(program.Context.AdminCidrs));
        foreach (var rule in topology.Rules.Where(r => r.Inbound && r.Protocol is "tcp" or "udp"))
        {
            foreach (var (ports, allowed, plane) in new[] { (SensitivePorts.Admin, adminAllowed, "the private network or fleet:adminCidrs"), (SensitivePorts.Cluster, privateNet, "the private network") })
            {
                var exposed = ports.Where(p => rule.Ports.Contains(p.Key)).ToArray();
                if (exposed.Length == 0) continue;
                var outside = rule.OtherAddresses.Where(a => !IpRange.TryParse(a, out var r) || !allowed.Covers(r)).ToArray();
                if (outside.Length == 0) continue;
                var untrustedAdmin = outside.Any(program.Context.AdminCidrs.Contains) ? UntrustedAdmin : "";
                report.Violation(rule.Firewall.Name,
                    $"{rule.Protocol} {rule.Ports} from {string.Join(", ", outside)} exposes {string.Join(", ", exposed.Select(p => $"{p.Key} ({p.Value})"))} beyond {plane}{untrustedAdmin}",
                    $"narrow the sources to {plane}, or the port range to the ports meant to be reachable");
            }
        }
    }
}
