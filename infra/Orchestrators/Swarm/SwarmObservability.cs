using Fleet.Infra.Configuration;
using Fleet.Infra.Observability;
using Fleet.Infra.Pulumi;
using static Fleet.Infra.Orchestrators.Swarm.SwarmServiceSpec;

namespace Fleet.Infra.Orchestrators.Swarm;

/// <summary>Prometheus and Grafana as Swarm services on the manager (with <c>fleet:observability</c>).</summary>
public static class SwarmObservability
{
    /// <summary>
    /// Prometheus and Grafana on the manager's host network, listening on its loopback only (an SSH tunnel reaches them;
    /// nothing is published). Prometheus scrapes the gateway, Caddy and the control service (with
    /// <c>fleet:images.control</c>) at their published ports on the private address,
    /// and finds every agent through the Swarm's node list (the Docker socket, mounted read-only); it runs as root for
    /// that socket. Data in named volumes on the manager; configs as Swarm configs (a change is a service update).
    /// </summary>
    public static void Add(ProgramBuilder program, FleetConfig config, PString managerPrivateAddress, PString hostNetworkId, PulumiResource docker)
    {
        const string marker = "\u0001manager\u0001";
        var parts = ObservabilityStack.PrometheusConfig(AgentDiscovery.SwarmNodes, config.Stack, marker, scrapeControl: config.Control is not null).Split(marker);
        var concat = new List<object>();
        for (var i = 0; i < parts.Length; i++)
        {
            concat.Add(parts[i]);
            if (i < parts.Length - 1) concat.Add(managerPrivateAddress);
        }
        var prometheusConfig = program.Add("prometheus-config", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Px.ToBase64(Px.Concat([.. concat])) } }, docker);
        var rules = program.Add("prometheus-rules", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Base64(ObservabilityStack.Rules) } }, docker);
        var poolRules = program.Add("prometheus-pool-rules", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Base64(FleetPoolRules.Render(config)) } }, docker);
        var datasource = program.Add("grafana-datasource", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Base64(ObservabilityStack.Datasource) } }, docker);
        var provider = program.Add("grafana-dashboard-provider", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Base64(ObservabilityStack.DashboardProvider) } }, docker);
        var dashboard = program.Add("grafana-dashboard", StackTypes.DockerServiceConfig, new PMapBuilder { { "data", Base64(ObservabilityStack.Dashboard) } }, docker);
        var password = program.Add("grafana-admin-password", StackTypes.RandomPassword, new PMapBuilder { { "length", 32 }, { "special", false } });
        var passwordSecret = program.Add("grafana-admin-secret", StackTypes.DockerSecret, new PMapBuilder { { "data", Px.ToBase64(password.Out("result")) } }, docker);
        program.Output("grafanaAdminPassword", Px.Secret(password.Out("result")));

        program.Add("service-prometheus", StackTypes.DockerService, ManagerService("prometheus", new PMapBuilder
        {
            { "image", ObservabilityStack.PrometheusImage },
            { "args", Px.Strings(ObservabilityStack.PrometheusArgs) },
            // The Docker socket is root's (mode 660, group docker, whose id differs per host).
            { "user", "root" },
            { "configs", new PList(Config(prometheusConfig, ObservabilityStack.PrometheusConfigPath), Config(rules, ObservabilityStack.RulesPath), Config(poolRules, ObservabilityStack.PoolRulesPath)) },
            { "mounts", new PList(
                new PMapBuilder { { "type", "volume" }, { "source", "prometheus-data" }, { "target", "/prometheus" } }.Build(),
                new PMapBuilder { { "type", "bind" }, { "source", "/var/run/docker.sock" }, { "target", "/var/run/docker.sock" }, { "readOnly", true } }.Build()) },
        }.Build(), hostNetworkId, Resources(cpus: 1.0, memoryMiB: 1024, reserveCpus: 0.1, reserveMiB: 256)), docker, ServiceOptions());

        var grafanaEnv = new PMapBuilder();
        foreach (var (name, value) in ObservabilityStack.GrafanaEnv("/run/secrets/grafana-admin-password")) grafanaEnv.Add(name, value);
        program.Add("service-grafana", StackTypes.DockerService, ManagerService("grafana", new PMapBuilder
        {
            { "image", ObservabilityStack.GrafanaImage },
            { "env", grafanaEnv.Build() },
            { "configs", new PList(
                Config(datasource, ObservabilityStack.DatasourcePath),
                Config(provider, ObservabilityStack.DashboardProviderPath),
                Config(dashboard, ObservabilityStack.DashboardPath)) },
            { "secrets", new PList(new PMapBuilder { { "secretId", passwordSecret.Out("id") }, { "secretName", passwordSecret.Out("name") }, { "fileName", "/run/secrets/grafana-admin-password" } }.Build()) },
            { "mounts", new PList(new PMapBuilder { { "type", "volume" }, { "source", "grafana-data" }, { "target", "/var/lib/grafana" } }.Build()) },
        }.Build(), hostNetworkId, Resources(cpus: 0.5, memoryMiB: 256, reserveCpus: 0.05, reserveMiB: 64)), docker, ServiceOptions());
    }
}
