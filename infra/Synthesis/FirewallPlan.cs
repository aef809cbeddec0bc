using Fleet.Infra.Configuration;

namespace Fleet.Infra.Synthesis;

/// <summary>The rules of the three planes for a fleet, before any cloud's firewall syntax.</summary>
public sealed record FirewallPlan(IReadOnlyList<FirewallRule> Inbound, IReadOnlyList<EgressRule> Outbound)
{
    public static readonly IReadOnlyList<string> Anywhere = ["0.0.0.0/0", "::/0"];

    public static FirewallPlan ForSwarm(FleetConfig config)
    {
        var admin = config.AdminCidrs;
        IReadOnlyList<string> vpc = [config.NetworkCidr];
        FirewallRule[] inbound =
        [
            new(Plane.Public, RuleTarget.Manager, "tcp", Port(FleetPorts.Http), Anywhere, "HTTP (ACME HTTP-01, redirect to HTTPS)"),
            new(Plane.Public, RuleTarget.Manager, "tcp", Port(FleetPorts.Https), Anywhere, "HTTPS API"),
            new(Plane.Admin, RuleTarget.AllNodes, "tcp", Port(FleetPorts.Ssh), admin, "SSH"),
            new(Plane.Admin, RuleTarget.Manager, "tcp", Port(FleetPorts.DockerTls), admin, "Docker API (mutual TLS) for Pulumi"),
            new(Plane.Private, RuleTarget.AllNodes, "tcp", Port(FleetPorts.SwarmManagement), vpc, "Swarm management"),
            new(Plane.Private, RuleTarget.AllNodes, "tcp", Port(FleetPorts.SwarmGossip), vpc, "Swarm gossip"),
            new(Plane.Private, RuleTarget.AllNodes, "udp", Port(FleetPorts.SwarmGossip), vpc, "Swarm gossip"),
            new(Plane.Private, RuleTarget.AllNodes, "udp", Port(FleetPorts.SwarmVxlan), vpc, "overlay VXLAN"),
            new(Plane.Private, RuleTarget.AllNodes, "tcp", Port(FleetPorts.Agent), vpc, "agent API and heartbeats to the gateway"),
        ];
        EgressRule[] outbound =
        [
            new("udp", "53", Anywhere, "DNS"),
            new("tcp", "53", Anywhere, "DNS"),
            new("udp", "123", Anywhere, "NTP"),
            new("tcp", "80", Anywhere, "package mirrors"),
            new("tcp", "443", Anywhere, "images, models, ACME"),
            new("tcp", "1-65535", vpc, "private network"),
            new("udp", "1-65535", vpc, "private network"),
            new("icmp", null, Anywhere, "path MTU discovery, ping"),
        ];
        return new FirewallPlan(inbound, outbound);
    }

    /// <summary>k3s: the API server is the admin plane; agents reach it, flannel and the kubelets on the private network.</summary>
    public static FirewallPlan ForK3s(FleetConfig config)
    {
        var admin = config.AdminCidrs;
        IReadOnlyList<string> vpc = [config.NetworkCidr];
        FirewallRule[] inbound =
        [
            new(Plane.Public, RuleTarget.Manager, "tcp", Port(FleetPorts.Http), Anywhere, "HTTP (ACME HTTP-01, redirect to HTTPS)"),
            new(Plane.Public, RuleTarget.Manager, "tcp", Port(FleetPorts.Https), Anywhere, "HTTPS API"),
            new(Plane.Admin, RuleTarget.AllNodes, "tcp", Port(FleetPorts.Ssh), admin, "SSH"),
            new(Plane.Admin, RuleTarget.Manager, "tcp", Port(FleetPorts.KubernetesApi), admin, "Kubernetes API for Pulumi"),
            new(Plane.Private, RuleTarget.AllNodes, "tcp", Port(FleetPorts.KubernetesApi), vpc, "agents to the k3s server"),
            new(Plane.Private, RuleTarget.AllNodes, "udp", Port(FleetPorts.FlannelVxlan), vpc, "flannel VXLAN"),
            new(Plane.Private, RuleTarget.AllNodes, "tcp", Port(FleetPorts.Kubelet), vpc, "kubelet (logs, exec, metrics)"),
            new(Plane.Private, RuleTarget.AllNodes, "tcp", Port(FleetPorts.Agent), vpc, "agent API and heartbeats to the gateway"),
        ];
        return new FirewallPlan(inbound, ForSwarm(config).Outbound);
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
