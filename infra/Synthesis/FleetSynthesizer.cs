using Fleet.Infra.Model;
using Fleet.Infra.Clouds;
using Fleet.Infra.Clouds.DigitalOcean;
using Fleet.Infra.Configuration;
using Fleet.Infra.Orchestrators;
using Fleet.Infra.Orchestrators.Swarm;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Synthesis;

/// <summary>
/// Validated fleet config → Pulumi program, as an explicit ordered pipeline: identity, network, manager, cluster
/// bootstrap, workers, firewalls, app layer, outputs. Pure: the same config gives the same program.
/// </summary>
public static class FleetSynthesizer
{
    public static PulumiProgram Synthesize(FleetConfig config)
    {
        var names = new FleetNames(config);
        var program = new ProgramBuilder(FleetConfigReader.KnownKeys);
        ICloudTarget cloud = config.Cloud switch
        {
            Catalog.CloudKind.DigitalOcean => new DigitalOceanTarget(config, names),
            Catalog.CloudKind.Hetzner => new Clouds.Hetzner.HetznerTarget(config, names),
            _ => throw new NotSupportedException($"cloud {config.Cloud} is not supported"),
        };
        IOrchestratorTarget orchestrator = config.Orchestrator switch
        {
            Orchestrator.Swarm => new SwarmOrchestrator(config, names),
            Orchestrator.K3s => new Orchestrators.K3s.K3sOrchestrator(config),
            _ => throw new NotSupportedException($"orchestrator {config.Orchestrator} is not supported"),
        };

        // Identity: the only way into a node is this key; it never leaves the stack's encrypted state.
        var sshKey = program.Add("ssh-key-material", StackTypes.PrivateKey, new PMapBuilder { { "algorithm", "ED25519" } });
        cloud.AddNetwork(program);
        cloud.AddSshKey(program, sshKey.Out("publicKeyOpenssh"));

        cloud.AddManagerAddress(program);
        if (config.Domain is not null) cloud.AddApiRecord(program, config.Domain);
        var (manager, reachableAfter) = cloud.AddManager(program, orchestrator.ManagerUserData(program, cloud));
        var firewalls = cloud.AddFirewalls(program, orchestrator.Firewalls);
        var ready = orchestrator.AfterManager(program, cloud, manager, [.. reachableAfter, .. firewalls], sshKey);

        var nodes = new List<WorkerNode>();
        foreach (var (pool, id) in config.Workers)
        {
            var credential = program.Add(FleetNames.CredentialResource(pool, id), StackTypes.RandomPassword, new PMapBuilder { { "length", 48 }, { "special", false } });
            var worker = cloud.AddWorker(program, pool, id, orchestrator.WorkerUserData(pool, cloud.PrivateAddress(manager), credential.Out("result")));
            var host = names.WorkerHost(pool, id);
            ManagerShell.AddMembership(program, $"node-membership-{pool.Name}-{id}", cloud, manager, worker, ready, sshKey, orchestrator.Membership(cloud.PrivateAddress(worker), worker.Out("id")));
            // The gateway's nodes file and the stack output both need the hash: one invoke, as a variable.
            var sha = program.Variable($"credential-sha256-{pool.Name}-{id}",
                ProgramBuilder.Invoke("std:index:sha256", new PMapBuilder { { "input", credential.Out("result") } }, "result"));
            nodes.Add(new WorkerNode(pool, host, sha));
        }

        orchestrator.AddAppLayer(program, cloud, manager, ready, nodes, sshKey);
        FleetOutputs.Add(program, config, cloud, nodes, sshKey);
        return program.Build(config.Project, $"Fleet inference fleet '{config.Stack}' on {config.Cloud} with {config.Orchestrator}");
    }
}
