using Fleet.Infra.Clouds;
using Fleet.Infra.Clouds.DigitalOcean;
using Fleet.Infra.Configuration;
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
        var program = new ProgramBuilder();
        ICloudTarget cloud = config.Cloud switch
        {
            Catalog.CloudKind.DigitalOcean => new DigitalOceanTarget(config, names),
            Catalog.CloudKind.Hetzner => new Clouds.Hetzner.HetznerTarget(config, names),
            _ => throw new NotSupportedException($"cloud {config.Cloud} is not supported"),
        };

        // Identity: the only way into a node is this key; it never leaves the stack's encrypted state.
        var sshKey = program.Add("ssh-key-material", StackTypes.PrivateKey, new PMapBuilder { { "algorithm", "ED25519" } });
        cloud.AddNetwork(program);
        cloud.AddSshKey(program, sshKey.Out("publicKeyOpenssh"));

        cloud.AddManagerAddress(program);
        if (config.Domain is not null) cloud.AddApiRecord(program, config.Domain);
        var pki = DockerTlsPki.Add(program, names, cloud.ManagerPublicAddress);
        var (manager, reachableAfter) = cloud.AddManager(program, SwarmBootstrap.Manager(config, pki));
        var firewalls = cloud.AddFirewalls(program, FirewallPlan.ForSwarm(config));

        // The worker join token exists only after `swarm init`: read it over SSH once cloud-init has finished.
        var joinToken = program.Add("swarm-worker-token", StackTypes.RemoteCommand, new PMapBuilder
        {
            { "connection", new PMapBuilder
            {
                { "host", cloud.ManagerPublicAddress },
                { "user", "root" },
                { "privateKey", sshKey.Out("privateKeyOpenssh") },
                { "dialErrorLimit", 60 },
            }.Build() },
            { "create", "cloud-init status --wait >/dev/null || true; docker swarm join-token -q worker | tr -d '\\n'" },
            { "triggers", new PList(manager.Out("id")) },
        }, options: new PMapBuilder
        {
            { "dependsOn", ProgramBuilder.Refs([.. reachableAfter, .. firewalls]) },
            { "additionalSecretOutputs", Px.Strings(["stdout"]) },
        });

        var nodes = new List<(PoolConfig, string, PulumiResource)>();
        foreach (var (pool, id) in config.Workers)
        {
            var credential = program.Add(FleetNames.CredentialResource(pool, id), StackTypes.RandomPassword, new PMapBuilder { { "length", 48 }, { "special", false } });
            cloud.AddWorker(program, pool, id, SwarmBootstrap.Worker(config, pool, cloud.PrivateAddress(manager), joinToken.Out("stdout"), credential.Out("result")));
            nodes.Add((pool, names.WorkerHost(pool, id), credential));
        }

        SwarmAppLayer.Add(program, config, names, pki, cloud.ManagerPublicAddress, cloud.PrivateAddress(manager), joinToken, nodes);
        FleetOutputs.Add(program, config, cloud, nodes, sshKey);
        return program.Build(config.Project, $"Fleet inference fleet '{config.Stack}' on {config.Cloud} with {config.Orchestrator}");
    }
}
