using Fleet.Infra.Clouds;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;

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

    // Only nodes of that name that are down: the replacement may already have joined under the same name.
    public string ForgetNodeCommand(string host) =>
        $"docker node ls --filter name={host} --format '{{{{.ID}}}} {{{{.Hostname}}}} {{{{.Status}}}}' | awk '$2 == \"{host}\" && $3 == \"Down\" {{ print $1 }}' | xargs -r docker node rm --force";

    public void AddAppLayer(ProgramBuilder program, ICloudTarget cloud, PulumiResource manager, PulumiResource ready, IReadOnlyList<WorkerNode> nodes) =>
        SwarmAppLayer.Add(program, config, _pki!, cloud.ManagerPublicAddress, cloud.PrivateAddress(manager), ready, nodes);
}
