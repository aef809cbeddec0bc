using Fleet.Infra.Orchestrators;
using Fleet.Infra.Clouds;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.Orchestrators.K3s;

/// <summary>
/// k3s: server and agent tokens generated in the stack (workers get only the agent token), the kubeconfig read from the
/// manager over SSH, and the app layer as Kubernetes objects through the kubernetes provider.
/// </summary>
public sealed class K3sOrchestrator(FleetConfig config) : IOrchestratorTarget
{
    private PulumiResource? _agentToken;

    public FirewallPlan Firewalls => FirewallPlan.ForK3s(config);

    public PValue ManagerUserData(ProgramBuilder program, ICloudTarget cloud)
    {
        var serverToken = program.Add("k3s-server-token", StackTypes.RandomPassword, new PMapBuilder { { "length", 48 }, { "special", false } });
        _agentToken = program.Add("k3s-agent-token", StackTypes.RandomPassword, new PMapBuilder { { "length", 48 }, { "special", false } });
        return K3sBootstrap.Server(config, cloud.ManagerPublicAddress, serverToken.Out("result"), _agentToken.Out("result"));
    }

    // The kubeconfig names the server by its loopback address: Pulumi reaches it at the manager's stable public address
    // (which the server certificate carries as a SAN through --tls-san).
    public PulumiResource AfterManager(ProgramBuilder program, ICloudTarget cloud, PulumiResource manager, IReadOnlyList<PulumiResource> reachableAfter, PulumiResource sshKey) =>
        ManagerShell.Add(program, "k3s-kubeconfig", cloud, manager, reachableAfter, sshKey,
            Px.Concat("sed 's#https://127.0.0.1:6443#https://", cloud.ManagerPublicAddress, ":6443#' /etc/rancher/k3s/k3s.yaml"));

    public PValue WorkerUserData(PoolConfig pool, PString managerPrivateAddress, PString credential) =>
        K3sBootstrap.Agent(config, pool, managerPrivateAddress, _agentToken!.Out("result"), credential);

    public NodeMembership Membership(PString workerPrivateAddress, PString workerServerId) => K3sMembership.For(workerPrivateAddress, workerServerId);

    public void AddAppLayer(ProgramBuilder program, ICloudTarget cloud, PulumiResource manager, PulumiResource ready, IReadOnlyList<WorkerNode> nodes, PulumiResource sshKey)
    {
        using (program.ReplacedWith(manager))
            K3sAppLayer.Add(program, config, cloud.PrivateAddress(manager), ready, manager, nodes);
    }
}
