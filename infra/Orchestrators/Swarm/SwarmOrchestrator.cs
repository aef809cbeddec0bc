using Fleet.Infra.AppLayer;
using Fleet.Infra.Clouds;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Orchestrators.Swarm;

/// <summary>Docker Swarm: Docker's API with stack-generated mutual TLS, the worker token read over SSH, services through the docker provider.</summary>
public sealed class SwarmOrchestrator(FleetConfig config, FleetNames names) : IOrchestratorTarget
{
    private DockerTlsPki? _pki;
    private PulumiResource? _joinToken;

    public FirewallPlan Firewalls => FirewallPlan.ForSwarm(config);

    public PValue ManagerUserData(ProgramBuilder program, ICloudTarget cloud)
    {
        _pki = DockerTlsPki.Add(program, names, cloud.ManagerPublicAddress);
        return SwarmBootstrap.Manager(config, _pki);
    }

    // The worker join token exists only after `swarm init`: read it over SSH once cloud-init has finished.
    public PulumiResource AfterManager(ProgramBuilder program, ICloudTarget cloud, PulumiResource manager, IReadOnlyList<PulumiResource> reachableAfter, PulumiResource sshKey) =>
        _joinToken = ManagerShell.Add(program, "swarm-worker-token", cloud, manager, reachableAfter, sshKey, Px.Lit("docker swarm join-token -q worker | tr -d '\\n'"));

    public PValue WorkerUserData(PoolConfig pool, PString managerPrivateAddress, PString credential) =>
        SwarmBootstrap.Worker(config, pool, managerPrivateAddress, _joinToken!.Out("stdout"), credential);

    public NodeMembership Membership(PString workerPrivateAddress, PString workerServerId) => SwarmMembership.For(workerPrivateAddress, workerServerId);

    public void AddAppLayer(ProgramBuilder program, ICloudTarget cloud, PulumiResource manager, PulumiResource ready, IReadOnlyList<WorkerNode> nodes, PulumiResource sshKey)
    {
        var hostNetwork = ManagerShell.Add(program, "swarm-host-network", cloud, manager, [ready], sshKey, Px.Lit(HostNetworkProbe), secretOutput: false);
        // Node membership and API keys reach the running gateway as files it watches, not as Swarm configs: a config
        // change is a service update, and the gateway (host-mode port, stop-first) would drop its streams and state.
        PulumiResource[] files =
        [
            ManagerShell.AddFile(program, "gateway-nodes-file", cloud, manager, ready, sshKey, $"{SwarmAppLayer.GatewayFilesDirectory}/nodes.json", Px.ToJson(GatewayFiles.NodesDocument(nodes))),
            ManagerShell.AddFile(program, "gateway-api-keys-file", cloud, manager, ready, sshKey, $"{SwarmAppLayer.GatewayFilesDirectory}/api-keys.json", Px.Lit(GatewayFiles.ApiKeysJson(config.ApiKeys))),
            .. config.JwtIssuers.Count == 0 ? Array.Empty<PulumiResource>() :
                [ManagerShell.AddFile(program, "gateway-jwt-issuers-file", cloud, manager, ready, sshKey, $"{SwarmAppLayer.GatewayFilesDirectory}/jwt-issuers.json", Px.Lit(GatewayFiles.JwtIssuersJson(config.JwtIssuers)))],
        ];
        var rotation = DockerTlsRotation.Add(program, cloud, manager, ready, sshKey, _pki!);
        using (program.ReplacedWith(manager))
            SwarmAppLayer.Add(program, config, _pki!, cloud.ManagerPublicAddress, cloud.PrivateAddress(manager), rotation, hostNetwork.Out("stdout"), files);
    }

    /// <summary>
    /// The id Swarm stores for its predefined <c>host</c> network. Docker resolves a service's network name to this id
    /// (moby daemon/cluster populateNetworkID) and the provider reads back only the id, so services must be written with
    /// it. It differs per cluster, so a stopped probe service asks Swarm itself.
    /// </summary>
    private const string HostNetworkProbe =
        "docker service inspect fleet-host-network-probe >/dev/null 2>&1 || docker service create --detach --quiet --no-resolve-image --name fleet-host-network-probe --network host --replicas 0 busybox >/dev/null\n" +
        "id=$(docker service inspect fleet-host-network-probe --format '{{(index .Spec.TaskTemplate.Networks 0).Target}}')\n" +
        "docker service rm fleet-host-network-probe >/dev/null\n" +
        "printf '%s' \"$id\"";
}
