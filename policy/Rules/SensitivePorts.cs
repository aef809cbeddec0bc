namespace Fleet.Policy.Rules;

/// <summary>Ports that must never face the internet: admin ports may face <c>fleet:adminCidrs</c>, cluster ports only the private network.</summary>
public static class SensitivePorts
{
    /// <summary>SSH, the Docker API with TLS, the Kubernetes API.</summary>
    public static readonly IReadOnlyDictionary<int, string> Admin = new Dictionary<int, string>
    {
        [22] = "SSH", [2376] = "Docker API (TLS)", [6443] = "Kubernetes API",
    };

    /// <summary>Cluster-internal ports, including the unauthenticated Docker API and the agent.</summary>
    public static readonly IReadOnlyDictionary<int, string> Cluster = new Dictionary<int, string>
    {
        [2375] = "Docker API (no TLS)", [2377] = "Swarm management", [7946] = "Swarm gossip", [4789] = "VXLAN overlay",
        [8472] = "flannel VXLAN", [10250] = "kubelet", [2379] = "etcd client", [2380] = "etcd peer", [8080] = "agent/gateway HTTP",
    };
}
