using Fleet.Infra.AppLayer;
using Fleet.Infra.Configuration;
using Fleet.Infra.Orchestrators;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;
using Fleet.Infra.Observability;

using static Fleet.Infra.Orchestrators.Swarm.SwarmServiceSpec;

namespace Fleet.Infra.Orchestrators.Swarm;

/// <summary>
/// The app layer on Swarm, through Pulumi's docker provider (not user data): the encrypted overlay network, the gateway
/// and Caddy on the manager, one global agent service per pool. An image, model or key change is a service update
/// that rolls out without replacing servers.
/// </summary>
public static class SwarmAppLayer
{
    private const string Gateway = "gateway";

    /// <summary>Where the manager keeps the gateway's nodes and API-key files (written over SSH, bind-mounted read-only).</summary>
    public const string GatewayFilesDirectory = "/etc/fleet/gateway";


    public static void Add(ProgramBuilder program, FleetConfig config, DockerTlsPki pki, PString managerPublicAddress,
        PString managerPrivateAddress, PulumiResource dockerReady, PString hostNetworkId, IReadOnlyList<PulumiResource> gatewayFiles)
    {
        var docker = program.Add("docker", StackTypes.DockerProvider, new PMapBuilder
        {
            { "host", Px.Concat("tcp://", managerPublicAddress, $":{FleetPorts.DockerTls}") },
            { "caMaterial", pki.Ca.Out("certPem") },
            { "certMaterial", pki.ClientCert.Out("certPem") },
            { "keyMaterial", pki.ClientKey.Out("privateKeyPem") },
        }, options: new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(dockerReady) } }); // after any renewed server certificate is installed (DockerTlsRotation)

        var network = program.Add("fleet-network", StackTypes.DockerNetwork, new PMapBuilder
        {
            { "name", "fleet" },
            { "driver", "overlay" },
            { "attachable", true },
            // IPsec between nodes for everything on this network; an MTU that fits inside Hetzner's 1450-byte private
            // network with the VXLAN and ESP overhead (DigitalOcean's 1500 has room to spare).
            { "options", new PMapBuilder { { "encrypted", "true" }, { "com.docker.network.driver.mtu", "1350" } }.Build() },
        }, docker,
            // Docker adds com.docker.network.driver.overlay.vxlanid_list to what it reads back, and options are ForceNew:
            // without this the network, and every service on it, would be replaced at every up (docs/engine-semantics.md).
            new PMapBuilder { { "ignoreChanges", Px.Strings(["options"]) } });

        var adminToken = program.Add("gateway-admin-token", StackTypes.RandomPassword, new PMapBuilder { { "length", 48 }, { "special", false } });
        var adminSecret = program.Add("gateway-admin-secret", StackTypes.DockerSecret, new PMapBuilder
        {
            { "data", Px.ToBase64(adminToken.Out("result")) },
        }, docker);
        var caddyfile = program.Add("caddyfile", StackTypes.DockerServiceConfig, new PMapBuilder
        {
            { "data", Base64(CaddyfileBuilder.Build(new CaddyEdgeOptions(config.Domain, config.AcmeEmail, $"{Gateway}:{FleetPorts.Agent}",
                    ControlUpstream: config.Control is null ? null : $"{SwarmControl.Service}:{FleetPorts.Control}"),
                config.Observability ? new CaddyMetrics(ObservabilityStack.CaddyMetricsPort, Bind: null) : null)) },
        }, docker);

        program.Add("service-gateway", StackTypes.DockerService, ManagerService(Gateway, new PMapBuilder
        {
            { "image", config.Images.Gateway },
            { "env", GatewayEnv(config) },
            { "mounts", new PList(new PMapBuilder { { "type", "bind" }, { "source", GatewayFilesDirectory }, { "target", "/run/fleet" }, { "readOnly", true } }.Build()) },
            { "secrets", new PList(new PMapBuilder { { "secretId", adminSecret.Out("id") }, { "secretName", adminSecret.Out("name") }, { "fileName", "/run/secrets/admin-token" } }.Build()) },
        }.Build(), network.Out("id"),
            // Heartbeats from agents arrive on the manager's private address.
            endpointSpec: Ports((FleetPorts.Agent, FleetPorts.Agent))), docker, ServiceOptions(gatewayFiles));

        program.Add("service-caddy", StackTypes.DockerService, ManagerService("caddy", new PMapBuilder
        {
            { "image", config.Images.Caddy },
            { "configs", new PList(Config(caddyfile, "/etc/caddy/Caddyfile")) },
            { "mounts", new PList(new PMapBuilder { { "type", "volume" }, { "source", "caddy-data" }, { "target", "/data" } }.Build()) },
        }.Build(), network.Out("id"),
            // With observability, Caddy's metrics site too: published on the manager for Prometheus (host network), which
            // reaches it at the private address; the public plane admits only 80/443.
            endpointSpec: config.Observability
                ? Ports((FleetPorts.Http, FleetPorts.Http), (FleetPorts.Https, FleetPorts.Https), (ObservabilityStack.CaddyMetricsPort, ObservabilityStack.CaddyMetricsPort))
                : Ports((FleetPorts.Http, FleetPorts.Http), (FleetPorts.Https, FleetPorts.Https))), docker, ServiceOptions());

        if (config.Control is { } control) SwarmControl.Add(program, config, control, network.Out("id"), adminSecret, docker);
        foreach (var pool in config.Pools)
            AddAgent(program, config, pool, managerPrivateAddress, hostNetworkId, docker);
        if (config.Observability) SwarmObservability.Add(program, config, managerPrivateAddress, hostNetworkId, docker);
    }

    private static void AddAgent(ProgramBuilder program, FleetConfig config, PoolConfig pool, PString managerPrivateAddress, PString hostNetworkId, PulumiResource docker)
    {
        program.Add($"service-agent-{pool.Name}", StackTypes.DockerService, new PMapBuilder
        {
            { "name", $"agent-{pool.Name}" },
            { "mode", new PMapBuilder { { "global", true } }.Build() },
            { "taskSpec", new PMapBuilder
            {
                { "containerSpec", new PMapBuilder
                {
                    { "image", pool.Gpu ? config.Images.AgentGpu ?? config.Images.Agent : config.Images.Agent },
                    { "env", AgentEnv(config, pool, managerPrivateAddress) },
                    { "mounts", new PList(
                        new PMapBuilder { { "type", "bind" }, { "source", "/etc/fleet/node-credential" }, { "target", AgentEnvironment.CredentialPath }, { "readOnly", true } }.Build(),
                        new PMapBuilder { { "type", "volume" }, { "source", "fleet-models" }, { "target", AgentEnvironment.CacheDir } }.Build()) },
                    // The provider reads durations back in Go's shortest form ("60s" would read back as "1m": a diff at every up).
                    { "stopGracePeriod", "1m" },
                }.Build() },
                { "placement", new PMapBuilder { { "constraints", Px.Strings(["node.role==worker", $"engine.labels.fleet.pool=={pool.Name}"]) } }.Build() },
                // Host networking: the agent listens on the node's private address, where the gateway reaches it.
                { "networksAdvanceds", Network(hostNetworkId) },
                { "restartPolicy", RestartAny() },
            }.Build() },
            { "updateConfig", StopFirst() },
        }, docker, ServiceOptions());
    }

    /// <summary>
    /// The shared agent settings, plus Swarm's own: the node name from Swarm's template, and on GPU pools what the nvidia
    /// default runtime (fleet-gpu-docker.sh) exposes — Swarm services cannot request GPUs otherwise.
    /// </summary>
    private static PMap AgentEnv(FleetConfig config, PoolConfig pool, PString managerPrivateAddress)
    {
        var env = new PMapBuilder();
        foreach (var (name, value) in AgentEnvironment.For(config, pool, managerPrivateAddress)) env.Add(name, value);
        // Swarm fills in the node's host name: the name the gateway knows this node by.
        env.Add("FLEET_NODE_NAME", "{{.Node.Hostname}}");
        env.Add("NVIDIA_VISIBLE_DEVICES", pool.Gpu ? "all" : null);
        env.Add("NVIDIA_DRIVER_CAPABILITIES", pool.Gpu ? "compute,utility" : null);
        return env.Build();
    }

    private static PMap GatewayEnv(FleetConfig config)
    {
        var env = new PMapBuilder
        {
            { "ASPNETCORE_URLS", $"http://0.0.0.0:{FleetPorts.Agent}" },
            { "FLEET_NODES_FILE", "/run/fleet/nodes.json" },
            { "FLEET_API_KEYS_FILE", "/run/fleet/api-keys.json" },
            { "FLEET_ADMIN_TOKEN_FILE", "/run/secrets/admin-token" },
        };
        foreach (var (name, value) in GatewayEnvironment.For(config)) env.Add(name, value);
        env.Add("FLEET_JWT_ISSUERS_FILE", config.JwtIssuers.Count > 0 ? "/run/fleet/jwt-issuers.json" : null);
        return env.Build();
    }

}
