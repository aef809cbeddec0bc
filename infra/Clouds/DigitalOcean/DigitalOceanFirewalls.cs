using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Clouds.DigitalOcean;

/// <summary>
/// One firewall per plane and target, bound by tag (string-typed, so no integer-id conversion and new droplets
/// are covered the moment they carry the tag), plus one egress firewall: DigitalOcean denies unlisted outbound traffic.
/// </summary>
public static class DigitalOceanFirewalls
{
    /// <param name="managerAddress">
    /// The manager droplet's own public IPv4, the source of <see cref="Plane.Self"/> rules: a droplet reaching its reserved
    /// IP leaves through its public interface with that address and comes back through the cloud firewall.
    /// </param>
    public static IReadOnlyList<PulumiResource> Add(ProgramBuilder program, FirewallPlan plan, FleetNames names, PString managerTag, PString nodeTag, PString managerAddress)
    {
        var result = new List<PulumiResource>();
        foreach (var group in plan.Inbound.GroupBy(r => (r.Plane, r.Target)))
        {
            var (plane, target) = group.Key;
            var suffix = $"{plane.ToString().ToLowerInvariant()}-{(target == RuleTarget.Manager ? "manager" : "nodes")}";
            result.Add(program.Add("firewall-" + suffix, DigitalOceanTypes.Firewall, new PMapBuilder
            {
                { "name", $"{names.Prefix}-{suffix}" },
                { "tags", new PList(target == RuleTarget.Manager ? managerTag : nodeTag) },
                { "inboundRules", new PList(group.Select(r => (PValue)new PMapBuilder
                    {
                        { "protocol", r.Protocol },
                        { "portRange", PortRange(r.Ports) },
                        { "sourceAddresses", r.Plane == Plane.Self ? new PList(managerAddress) : Px.Strings(r.Sources) },
                    }.Build()).ToArray()) },
            }));
        }
        result.Add(program.Add("firewall-egress-nodes", DigitalOceanTypes.Firewall, new PMapBuilder
        {
            { "name", $"{names.Prefix}-egress-nodes" },
            { "tags", new PList(nodeTag) },
            { "outboundRules", new PList(plan.Outbound.Select(r => (PValue)new PMapBuilder
                {
                    { "protocol", r.Protocol },
                    { "portRange", PortRange(r.Ports) },
                    { "destinationAddresses", Px.Strings(r.Destinations) },
                }.Build()).ToArray()) },
        }));
        return result;
    }

    /// <summary>
    /// The provider's own form for every port: it stores what the API returns, and the API's "all ports" comes back as
    /// "all" (terraform-provider-digitalocean firewalls.go flatten; the acceptance test fullPortRange round-trips "all",
    /// while "1-65535" is not shown to read back as written).
    /// </summary>
    private static string? PortRange(string? ports) => ports == "1-65535" ? "all" : ports;
}
