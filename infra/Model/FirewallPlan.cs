using Fleet.Infra.Configuration;

namespace Fleet.Infra.Model;

/// <summary>The rules of the three planes for a fleet, before any cloud's firewall syntax.</summary>
public sealed record FirewallPlan(IReadOnlyList<FirewallRule> Inbound, IReadOnlyList<EgressRule> Outbound)
{
    public static readonly IReadOnlyList<string> Anywhere = ["0.0.0.0/0", "::/0"];

    /// <summary>Swarm: the Docker API (mutual TLS) is the admin plane; Swarm's ports and the agent's on the private network.</summary>
    public static FirewallPlan ForSwarm(FleetConfig config) => Build(config, (FleetPorts.DockerTls, "Docker API (mutual TLS) for Pulumi"),
    [
        ("tcp", FleetPorts.SwarmManagement, "Swarm management"),
        ("tcp", FleetPorts.SwarmGossip, "Swarm gossip"),
        ("udp", FleetPorts.SwarmGossip, "Swarm gossip"),
        ("udp", FleetPorts.SwarmVxlan, "overlay VXLAN"),
    ]);

    /// <summary>k3s: the API server is the admin plane; agents reach it, flannel and the kubelets on the private network.</summary>
    public static FirewallPlan ForK3s(FleetConfig config) => Build(config, (FleetPorts.KubernetesApi, "Kubernetes API for Pulumi"),
    [
        ("tcp", FleetPorts.KubernetesApi, "agents to the k3s server"),
        ("udp", FleetPorts.FlannelVxlan, "flannel VXLAN"),
        ("tcp", FleetPorts.Kubelet, "kubelet (logs, exec, metrics)"),
    ]);

    private static FirewallPlan Build(FleetConfig config, (int Port, string Purpose) adminApi, (string Protocol, int Port, string Purpose)[] cluster)
    {
        var admin = config.AdminCidrs;
        IReadOnlyList<string> vpc = [config.NetworkCidr];
        FirewallRule[] inbound =
        [
            new(Plane.Public, RuleTarget.Manager, "tcp", Port(FleetPorts.Http), Anywhere, "HTTP (ACME HTTP-01, redirect to HTTPS)"),
            new(Plane.Public, RuleTarget.Manager, "tcp", Port(FleetPorts.Https), Anywhere, "HTTPS API"),
            new(Plane.Admin, RuleTarget.AllNodes, "tcp", Port(FleetPorts.Ssh), admin, "SSH"),
            new(Plane.Admin, RuleTarget.Manager, "tcp", Port(adminApi.Port), admin, adminApi.Purpose),
            .. cluster.Select(c => new FirewallRule(Plane.Private, RuleTarget.AllNodes, c.Protocol, Port(c.Port), vpc, c.Purpose)),
            new(Plane.Private, RuleTarget.AllNodes, "tcp", Port(FleetPorts.Agent), vpc, "agent API and heartbeats to the gateway"),
            .. config.Control is null ? Array.Empty<FirewallRule>() :
            [
                new(Plane.Self, RuleTarget.Manager, "tcp", Port(FleetPorts.Ssh), [], "SSH from the control service on the manager"),
                new(Plane.Self, RuleTarget.Manager, "tcp", Port(adminApi.Port), [], adminApi.Purpose + " from the control service on the manager"),
            ],
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

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
