using Fleet.Policy.Model;
using Fleet.Policy.Net;

namespace Fleet.Policy.Topology;

/// <summary>One firewall rule in a cloud-neutral shape: direction, protocol, ports, peers, and the servers it binds to.</summary>
public sealed record FirewallRuleView(PolicyResource Firewall, bool Inbound, string Protocol, PortRange Ports, IReadOnlyList<string> Addresses, IReadOnlyList<string> PeerTags, IReadOnlySet<string> TargetServers)
{
    /// <summary>
    /// The sources other than the protected servers' own public addresses (<c>${server.ipv4Address}</c> of a server this
    /// rule binds to): a server reaching itself through its public address exposes nothing to anyone else.
    /// </summary>
    public IReadOnlyList<string> OtherAddresses => Addresses.Where(a => !IsOwnAddress(a)).ToArray();

    private bool IsOwnAddress(string address) =>
        address.StartsWith("${", StringComparison.Ordinal) && address.EndsWith(".ipv4Address}", StringComparison.Ordinal)
        && TargetServers.Count == 1 && TargetServers.Contains(address[2..^".ipv4Address}".Length]);
}
