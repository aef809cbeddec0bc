using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Clouds.Hetzner;

/// <summary>
/// Firewalls bound by label selector. Hetzner Cloud firewalls filter only the public interface: traffic on the private
/// network is not filtered, so the private plane is enforced by network membership and its rules are not emitted here.
/// Outbound traffic is allowed when a firewall has no outbound rules. The <see cref="Plane.Self"/> rules are not emitted
/// either: a Hetzner primary IP is configured on the server's own interface, so the manager's traffic to it never leaves
/// the host.
/// </summary>
public static class HetznerFirewalls
{
    public static IReadOnlyList<PulumiResource> Add(ProgramBuilder program, FirewallPlan plan, FleetNames names, HetznerLabels labels)
    {
        var result = new List<PulumiResource>();
        foreach (var group in plan.Inbound.Where(r => r.Plane is not (Plane.Private or Plane.Self)).GroupBy(r => (r.Plane, r.Target)))
        {
            var (plane, target) = group.Key;
            var suffix = $"{plane.ToString().ToLowerInvariant()}-{(target == RuleTarget.Manager ? "manager" : "nodes")}";
            result.Add(program.Add("firewall-" + suffix, HetznerTypes.Firewall, new PMapBuilder
            {
                { "name", $"{names.Prefix}-{suffix}" },
                { "rules", new PList(group.Select(r => (PValue)new PMapBuilder
                    {
                        { "direction", "in" },
                        { "protocol", r.Protocol },
                        { "port", r.Ports },
                        { "sourceIps", Px.Strings(r.Sources) },
                        { "description", r.Purpose },
                    }.Build()).ToArray()) },
                { "applyTos", new PList(new PMapBuilder { { "labelSelector", target == RuleTarget.Manager ? labels.ManagerSelector : labels.AllNodesSelector } }.Build()) },
            }));
        }
        return result;
    }
}
