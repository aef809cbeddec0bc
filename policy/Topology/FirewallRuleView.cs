using Fleet.Policy.Model;
using Fleet.Policy.Net;

namespace Fleet.Policy.Topology;

/// <summary>One firewall rule in a cloud-neutral shape: direction, protocol, ports, peers, and the servers it binds to.</summary>
public sealed record FirewallRuleView(PolicyResource Firewall, bool Inbound, string Protocol, PortRange Ports, IReadOnlyList<string> Addresses, IReadOnlyList<string> PeerTags, IReadOnlySet<string> TargetServers);
