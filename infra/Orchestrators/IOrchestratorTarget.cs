using Fleet.Infra.Clouds;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Orchestrators;

/// <summary>What an orchestrator (Swarm, k3s) contributes: its ports, its bootstrap, and the app layer through a provider.</summary>
public interface IOrchestratorTarget
{
    /// <summary>The inbound and outbound rules of the three planes for this orchestrator.</summary>
    FirewallPlan Firewalls { get; }

    /// <summary>Declares what the manager needs before it boots (keys, tokens) and returns its user data.</summary>
    PValue ManagerUserData(ProgramBuilder program, ICloudTarget cloud);

    /// <summary>
    /// Declares what must happen once the manager is up and reachable (read a token or kubeconfig over SSH); returns the
    /// resource the app layer's provider waits for.
    /// </summary>
    PulumiResource AfterManager(ProgramBuilder program, ICloudTarget cloud, PulumiResource manager, IReadOnlyList<PulumiResource> reachableAfter, PulumiResource sshKey);

    /// <summary>A worker's user data: join the cluster at the manager's private address, carrying its own credential.</summary>
    PValue WorkerUserData(PoolConfig pool, PString managerPrivateAddress, PString credential);

    /// <summary>
    /// Records a worker's cluster node when it joins and forgets exactly that node when the worker goes — without it a
    /// replacement with the same host name is refused (k3s node password) or leaves a stale node (Swarm).
    /// </summary>
    NodeMembership Membership(PString workerPrivateAddress, PString workerServerId);

    /// <summary>Gateway, TLS edge and agents, through the orchestrator's Pulumi provider.</summary>
    void AddAppLayer(ProgramBuilder program, ICloudTarget cloud, PulumiResource manager, PulumiResource ready, IReadOnlyList<WorkerNode> nodes, PulumiResource sshKey);
}
