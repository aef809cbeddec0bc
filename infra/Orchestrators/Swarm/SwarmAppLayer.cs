using System.Text;
using Fleet.Infra.AppLayer;
using Fleet.Infra.Configuration;
using Fleet.Infra.Orchestrators;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;
using Fleet.Infra.Observability;

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
        PString managerPrivateAddress, PulumiResource managerReady, PString hostNetworkId, IReadOnlyList<PulumiResource> gatewayFiles)
    {
        var docker = program.Add("docker", StackTypes.DockerProvider, new PMapBuilder
        {
            { "host", Px.Concat("tcp://", managerPublicAddress, $":{FleetPorts.DockerTls}") },
            { "caMaterial", pki.Ca.Out("certPem") },
            { "certMaterial", pki.ClientCert.Out("certPem") },
            { "keyMaterial", pki.ClientKey.Out("privateKeyPem") },
        }, options: new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(managerReady) } });

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
            { "data", Base64(CaddyfileBuilder.Build(new CaddyEdgeOptions(config.Domain, config.AcmeEmail, $"{Gateway}:{FleetPorts.Agent}"),
                config.Observability ? new CaddyMetrics(ObservabilityStack.CaddyMetricsPort, Bind: null) : null)) },
        }, docker);

        program.Add("service-gateway", StackTypes.DockerService, new PMapBuilder
        {
            { "name", Gateway },
            { "mode", Replicated(1) },
            { "taskSpec", new PMapBuilder
            {
                { "containerSpec", new PMapBuilder
                {
                    { "image", config.Images.Gateway },
                    { "env", GatewayEnv(config) },
                    { "mounts", new PList(new PMapBuilder { { "type", "bind" }, { "source", GatewayFilesDirectory }, { "target", "/run/fleet" }, { "readOnly", true } }.Build()) },
                    { "secrets", new PList(new PMapBuilder { { "secretId", adminSecret.Out("id") }, { "secretName", adminSecret.Out("name") }, { "fileName", "/run/secrets/admin-token" } }.Build()) },
                }.Build() },
                { "placement", new PMapBuilder { { "constraints", Px.Strings(["node.role==manager"]) } }.Build() },
                { "networksAdvanceds", Network(network.Out("id")) },
                { "restartPolicy", RestartAny() },
            }.Build() },
            // Heartbeats from agents arrive on the manager's private address.
            { "endpointSpec", Ports((FleetPorts.Agent, FleetPorts.Agent)) },
            { "updateConfig", StopFirst() },
        }, docker, ServiceOptions(gatewayFiles));

        program.Add("service-caddy", StackTypes.DockerService, new PMapBuilder
        {
            { "name", "caddy" },
            { "mode", Replicated(1) },
            { "taskSpec", new PMapBuilder
            {
                { "containerSpec", new PMapBuilder
                {
                    { "image", config.Images.Caddy },
                    { "configs", new PList(Config(caddyfile, "/etc/caddy/Caddyfile")) },
                    { "mounts", new PList(new PMapBuilder { { "type", "volume" }, { "source", "caddy-data" }, { "target", "/data" } }.Build()) },
                }.Build() },
                { "placement", new PMapBuilder { { "constraints", Px.Strings(["node.role==manager"]) } }.Build() },
                { "networksAdvanceds", Network(network.Out("id")) },
                { "restartPolicy", RestartAny() },
            }.Build() },
            // With observability, Caddy's metrics site too: published on the manager for Prometheus (host network), which
            // reaches it at the private address; the public plane admits only 80/443.
            { "endpointSpec", config.Observability
                ? Ports((FleetPorts.Http, FleetPorts.Http), (FleetPorts.Https, FleetPorts.Https), (ObservabilityStack.CaddyMetricsPort, ObservabilityStack.CaddyMetricsPort))
                : Ports((FleetPorts.Http, FleetPorts.Http), (FleetPorts.Https, FleetPorts.Https)) },
            { "updateConfig", StopFirst() },
        }, docker, ServiceOptions());

        foreach (var pool in config.Pools)
            AddAgent(program, config, pool, managerPrivateAddress, hostNetworkId, docker);
        if (config.Observability) AddObservability(program, config, managerPrivateAddress, hostNetworkId, docker);
    }

    /// <summary>
    /// Prometheus and Grafana on the manager's host network, listening on its loopback only (an SSH tunnel reaches them;
    /// nothing is published). Prometheus scrapes the gateway and Caddy at their published ports on the private address,
    /// and finds every agent through the Swarm's node list (the Docker socket, mounted read-only); it runs as root for
    /// that socket. Data in named volumes on the manager; configs as Swarm configs (a change is a service update).
    /// </summary>
    private static void AddObservability(ProgramBuilder program, FleetConfig config, PString managerPrivateAddress, PString hostNetworkId, PulumiResource docker)
    {
        const string marker = "\u0001manager\u0001";
        var parts = ObservabilityStack.PrometheusConfig(AgentDiscovery.SwarmNodes, config.Stack, marker).Split(marker);
        var concat = new List<object>();
        for (var i = 0; i < parts.Length; i++)
        {
            concat.Add(parts[i]);
            if (i < parts.Length - 1) concat.Add(managerPrivateAddress);
        }
        var prometheusConfig = program.Add("prometheus-config", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Px.ToBase64(Px.Concat([.. concat])) } }, docker);
        var rules = program.Add("prometheus-rules", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Base64(ObservabilityStack.Rules) } }, docker);
        var datasource = program.Add("grafana-datasource", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Base64(ObservabilityStack.Datasource) } }, docker);
        var provider = program.Add("grafana-dashboard-provider", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Base64(ObservabilityStack.DashboardProvider) } }, docker);
        var dashboard = program.Add("grafana-dashboard", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Base64(ObservabilityStack.Dashboard) } }, docker);
        var password = program.Add("grafana-admin-password", StackTypes.RandomPassword, new PMapBuilder { { "length", 32 }, { "special", false } });
        var passwordSecret = program.Add("grafana-admin-secret", StackTypes.DockerSecret, new PMapBuilder { { "data", Px.ToBase64(password.Out("result")) } }, docker);
        program.Output("grafanaAdminPassword", Px.Secret(password.Out("result")));

        program.Add("service-prometheus", StackTypes.DockerService, new PMapBuilder
        {
            { "name", "prometheus" },
            { "mode", Replicated(1) },
            { "taskSpec", new PMapBuilder
            {
                { "containerSpec", new PMapBuilder
                {
                    { "image", ObservabilityStack.PrometheusImage },
                    { "args", Px.Strings(ObservabilityStack.PrometheusArgs) },
                    // The Docker socket is root's (mode 660, group docker, whose id differs per host).
                    { "user", "root" },
                    { "configs", new PList(Config(prometheusConfig, ObservabilityStack.PrometheusConfigPath), Config(rules, ObservabilityStack.RulesPath)) },
                    { "mounts", new PList(
                        new PMapBuilder { { "type", "volume" }, { "source", "prometheus-data" }, { "target", "/prometheus" } }.Build(),
                        new PMapBuilder { { "type", "bind" }, { "source", "/var/run/docker.sock" }, { "target", "/var/run/docker.sock" }, { "readOnly", true } }.Build()) },
                }.Build() },
                { "resources", Resources(cpus: 1.0, memoryMiB: 1024, reserveCpus: 0.1, reserveMiB: 256) },
                { "placement", new PMapBuilder { { "constraints", Px.Strings(["node.role==manager"]) } }.Build() },
                { "networksAdvanceds", Network(hostNetworkId) },
                { "restartPolicy", RestartAny() },
            }.Build() },
            { "updateConfig", StopFirst() },
        }, docker, ServiceOptions());

        var grafanaEnv = new PMapBuilder();
        foreach (var (name, value) in ObservabilityStack.GrafanaEnv("/run/secrets/grafana-admin-password")) grafanaEnv.Add(name, value);
        program.Add("service-grafana", StackTypes.DockerService, new PMapBuilder
        {
            { "name", "grafana" },
            { "mode", Replicated(1) },
            { "taskSpec", new PMapBuilder
            {
                { "containerSpec", new PMapBuilder
                {
                    { "image", ObservabilityStack.GrafanaImage },
                    { "env", grafanaEnv.Build() },
                    { "configs", new PList(
                        Config(datasource, ObservabilityStack.DatasourcePath),
                        Config(provider, ObservabilityStack.DashboardProviderPath),
                        Config(dashboard, ObservabilityStack.DashboardPath)) },
                    { "secrets", new PList(new PMapBuilder { { "secretId", passwordSecret.Out("id") }, { "secretName", passwordSecret.Out("name") }, { "fileName", "/run/secrets/grafana-admin-password" } }.Build()) },
                    { "mounts", new PList(new PMapBuilder { { "type", "volume" }, { "source", "grafana-data" }, { "target", "/var/lib/grafana" } }.Build()) },
                }.Build() },
                { "resources", Resources(cpus: 0.5, memoryMiB: 256, reserveCpus: 0.05, reserveMiB: 64) },
                { "placement", new PMapBuilder { { "constraints", Px.Strings(["node.role==manager"]) } }.Build() },
                { "networksAdvanceds", Network(hostNetworkId) },
                { "restartPolicy", RestartAny() },
            }.Build() },
            { "updateConfig", StopFirst() },
        }, docker, ServiceOptions());
    }

    /// <summary>Limits and reservations in the integer units Swarm stores and the provider reads back (nano CPUs, bytes).</summary>
    private static PMap Resources(double cpus, int memoryMiB, double reserveCpus, int reserveMiB) => new PMapBuilder
    {
        { "limits", new PMapBuilder { { "nanoCpus", (int)(cpus * 1e9) }, { "memoryBytes", memoryMiB << 20 } }.Build() },
        { "reservation", new PMapBuilder { { "nanoCpus", (int)(reserveCpus * 1e9) }, { "memoryBytes", reserveMiB << 20 } }.Build() },
    }.Build();

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

    /// <summary>
    /// By id, never by name: <c>name</c> is deprecated and read back only as the id Docker resolved it to, so it would
    /// replace the service at every up (docs/engine-semantics.md, "docker service").
    /// </summary>
    private static PList Network(PString id) => new(new PMapBuilder { { "id", id } }.Build());

    /// <summary>
    /// At create, Docker's client fills placement.platforms from the image; we never set it, so the next up would plan
    /// an update removing them (moby client/service_create.go resolveContainerSpecImage).
    /// </summary>
    private static PMap ServiceOptions(IReadOnlyList<PulumiResource>? dependsOn = null) => new PMapBuilder
    {
        { "ignoreChanges", Px.Strings(["taskSpec.placement.platforms"]) },
        { "dependsOn", dependsOn is null ? null : ProgramBuilder.Refs([.. dependsOn]) },
    }.Build();

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
        return env.Build();
    }

    private static PMap Replicated(int replicas) => new PMapBuilder { { "replicated", new PMapBuilder { { "replicas", replicas } }.Build() } }.Build();

    // window as Docker reads it back ("0s"): left out, it would be an update at every up.
    private static PMap RestartAny() => new PMapBuilder { { "condition", "any" }, { "delay", "5s" }, { "window", "0s" } }.Build();

    private static PMap StopFirst() => new PMapBuilder { { "parallelism", 1 }, { "order", "stop-first" }, { "failureAction", "rollback" } }.Build();

    private static PMap Config(PulumiResource config, string path) =>
        new PMapBuilder { { "configId", config.Out("id") }, { "configName", config.Out("name") }, { "fileName", path } }.Build();

    private static PMap Ports(params (int Target, int Published)[] ports) => new PMapBuilder
    {
        { "ports", new PList(ports.Select(p => (PValue)new PMapBuilder { { "targetPort", p.Target }, { "publishedPort", p.Published }, { "publishMode", "host" } }.Build()).ToArray()) },
    }.Build();

    private static PString Base64(string text) => Px.Lit(Convert.ToBase64String(Encoding.UTF8.GetBytes(text)));
}
