namespace Fleet.Infra.Model;

/// <summary>Ports Fleet opens, in one place (firewalls, services and policy read them from here).</summary>
public static class FleetPorts
{
    public const int Ssh = 22;
    public const int Http = 80;
    public const int Https = 443;

    /// <summary>The Docker Engine API with mutual TLS (the admin plane Pulumi's docker provider uses).</summary>
    public const int DockerTls = 2376;

    public const int SwarmManagement = 2377;
    public const int SwarmGossip = 7946;
    public const int SwarmVxlan = 4789;

    public const int KubernetesApi = 6443;
    public const int FlannelVxlan = 8472;
    public const int Kubelet = 10250;

    /// <summary>The k3s release Fleet installs (pinned: every node runs the same build).</summary>
    public const string K3sVersion = "v1.33.5+k3s1";

    /// <summary>The agent's HTTP port on workers and the gateway's on the manager.</summary>
    public const int Agent = 8080;

    /// <summary>The control service (stacks/): the webhook through Caddy, its read endpoints on the manager only.</summary>
    public const int Control = 8090;

    /// <summary>Swarm overlay subnets are carved from here; it must not overlap the private network.</summary>
    public const string SwarmOverlayPool = "10.240.0.0/16";

    /// <summary>The uid the agent image runs as (APP_UID of the .NET base images, agent/Dockerfile); it owns the node credential file.</summary>
    public const int AgentUid = 1654;
}
