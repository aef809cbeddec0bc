using System.Globalization;
using System.Text;
using Fleet.Infra.Model;

namespace Fleet.Infra.Observability;

/// <summary>Where the scrape config finds the gateway, Caddy and the agents.</summary>
public enum AgentDiscovery
{
    /// <summary>Docker Swarm nodes through the manager's Docker socket (<c>dockerswarm_sd_configs</c>, role nodes).</summary>
    SwarmNodes,

    /// <summary>Kubernetes pods in the fleet namespace (<c>kubernetes_sd_configs</c>, role pod).</summary>
    KubernetesPods,
}

/// <summary>
/// Prometheus and Grafana on the manager (<c>fleet:observability</c>): the pinned images, ports, retention and every file
/// they are given — the scrape config rendered here, the alert rules and the dashboard from
/// <c>infra/Observability/</c> (embedded in the binary; the tests run <c>promtool</c> on what this renders).
/// </summary>
public static class ObservabilityStack
{
    /// <summary>
    /// Prometheus 3.5.0 (the LTS line) and Grafana 12.1.1, by tag and digest. The digests are the multi-arch index digests
    /// these tags carry as pinned, identically, in many public repositories; they were not read from the registry here.
    /// </summary>
    public const string PrometheusImage = "prom/prometheus:v3.5.0@sha256:63805ebb8d2b3920190daf1cb14a60871b16fd38bed42b857a3182bc621f4996";
    public const string GrafanaImage = "grafana/grafana:12.1.1@sha256:a1701c2180249361737a99a01bc770db39381640e4d631825d38ff4535efa47d";

    /// <summary>Both listen on the manager's loopback only: reach them through an SSH tunnel (README, "Observability").</summary>
    public const int PrometheusPort = 9090;
    public const int GrafanaPort = 3000;

    /// <summary>Caddy's metrics handler (a site of its own, never on the public plane).</summary>
    public const int CaddyMetricsPort = 9180;

    /// <summary>The agent and gateway port (FleetPorts.Agent).</summary>
    private const int AgentPort = 8080;

    public const string RetentionTime = "15d";
    public const string RetentionSize = "5GB";

    /// <summary>Where the files land in the Prometheus and Grafana containers.</summary>
    public const string PrometheusConfigPath = "/etc/prometheus/prometheus.yml";
    public const string RulesPath = "/etc/prometheus/fleet-alerts.yml";
    public const string PoolRulesPath = "/etc/prometheus/fleet-pools.yml";
    public const string DatasourcePath = "/etc/grafana/provisioning/datasources/fleet.yml";
    public const string DashboardProviderPath = "/etc/grafana/provisioning/dashboards/fleet.yml";
    public const string DashboardDirectory = "/etc/grafana/dashboards";
    public const string DashboardPath = DashboardDirectory + "/fleet.json";

    /// <summary>The Prometheus command line: loopback only, bounded retention, no lifecycle or admin API.</summary>
    public static IReadOnlyList<string> PrometheusArgs =>
    [
        $"--config.file={PrometheusConfigPath}",
        "--storage.tsdb.path=/prometheus",
        $"--storage.tsdb.retention.time={RetentionTime}",
        $"--storage.tsdb.retention.size={RetentionSize}",
        $"--web.listen-address=127.0.0.1:{PrometheusPort.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>Grafana's settings: loopback only, no sign-up, no calls home (the manager's egress is limited anyway).</summary>
    public static IReadOnlyList<(string Name, string Value)> GrafanaEnv(string adminPasswordFile) =>
    [
        ("GF_SERVER_HTTP_ADDR", "127.0.0.1"),
        ("GF_SERVER_HTTP_PORT", GrafanaPort.ToString(CultureInfo.InvariantCulture)),
        ("GF_SECURITY_ADMIN_USER", "admin"),
        ("GF_SECURITY_ADMIN_PASSWORD__FILE", adminPasswordFile),
        ("GF_USERS_ALLOW_SIGN_UP", "false"),
        ("GF_ANALYTICS_REPORTING_ENABLED", "false"),
        ("GF_ANALYTICS_CHECK_FOR_UPDATES", "false"),
        ("GF_PLUGINS_PREINSTALL_DISABLED", "true"),
    ];

    /// <summary>
    /// The scrape configuration. <paramref name="managerAddress"/> is where the gateway's, Caddy's and the control
    /// service's metrics are reached from the manager's host network: on Swarm their published ports on the manager's
    /// private address, on k3s (host-network pods) the loopback address. <paramref name="scrapeControl"/>: the control
    /// service runs on the manager (<c>fleet:images.control</c>); its <c>/metrics</c> answers private addresses only,
    /// which both are.
    /// </summary>
    public static string PrometheusConfig(AgentDiscovery discovery, string stack, string managerAddress, bool scrapeControl)
    {
        var sb = new StringBuilder();
        sb.Append("# Rendered by infra/Observability/ObservabilityStack.cs; promtool check config runs on it in the tests.\n");
        sb.Append("global:\n  scrape_interval: 15s\n  scrape_timeout: 10s\n  evaluation_interval: 15s\n");
        sb.Append("  external_labels:\n    fleet_stack: ").Append(Quote(stack)).Append('\n');
        sb.Append("rule_files:\n  - ").Append(RulesPath).Append("\n  - ").Append(PoolRulesPath).Append('\n');
        sb.Append("scrape_configs:\n");
        sb.Append("  - job_name: prometheus\n    static_configs:\n      - targets: ['127.0.0.1:").Append(PrometheusPort).Append("']\n");
        sb.Append("  - job_name: gateway\n    static_configs:\n      - targets: ['").Append(managerAddress).Append(':').Append(AgentPort).Append("']\n");
        sb.Append("  - job_name: caddy\n    static_configs:\n      - targets: ['").Append(managerAddress).Append(':').Append(CaddyMetricsPort).Append("']\n");
        if (scrapeControl)
            sb.Append("  - job_name: control\n    static_configs:\n      - targets: ['").Append(managerAddress).Append(':').Append(FleetPorts.Control).Append("']\n");
        sb.Append("  - job_name: agent\n");
        if (discovery == AgentDiscovery.SwarmNodes)
        {
            // Role nodes, not tasks: Prometheus makes a task target only from a published port or an address on one of the
            // task's networks (discovery/moby/tasks.go), and agents run on the host network with neither. Every worker runs
            // the agent (a global service per pool), listening on the node's private address.
            sb.Append("    dockerswarm_sd_configs:\n      - host: unix:///var/run/docker.sock\n        role: nodes\n        port: ").Append(AgentPort).Append('\n');
            sb.Append("    relabel_configs:\n");
            Keep(sb, "__meta_dockerswarm_node_role", "worker");
            Keep(sb, "__meta_dockerswarm_node_availability", "active");
            Copy(sb, "__meta_dockerswarm_node_hostname", "node");
        }
        else
        {
            // Every agent pod of the fleet namespace; node metadata (attach_metadata) gives the node's fleet.pool and
            // fleet.gpu labels. Agents use the host network, so the pod IP is the node's private address.
            sb.Append("    kubernetes_sd_configs:\n      - role: pod\n        namespaces:\n          names: [fleet]\n        attach_metadata:\n          node: true\n");
            sb.Append("    relabel_configs:\n");
            Keep(sb, "__meta_kubernetes_pod_label_app_kubernetes_io_name", "agent-.+");
            Keep(sb, "__meta_kubernetes_pod_container_port_name", "http");
            Copy(sb, "__meta_kubernetes_pod_node_name", "node");
            Copy(sb, "__meta_kubernetes_node_label_fleet_pool", "pool");
            Copy(sb, "__meta_kubernetes_node_label_fleet_gpu", "gpu");
        }
        return sb.ToString();
    }

    private static void Keep(StringBuilder sb, string label, string regex) =>
        sb.Append("      - source_labels: [").Append(label).Append("]\n        regex: ").Append(Quote(regex)).Append("\n        action: keep\n");

    private static void Copy(StringBuilder sb, string label, string target) =>
        sb.Append("      - source_labels: [").Append(label).Append("]\n        target_label: ").Append(target).Append('\n');

    /// <summary>A YAML double-quoted scalar (stack names are letters, digits, - _ .; this keeps any value inert).</summary>
    private static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>The Grafana datasource: Prometheus on the manager's loopback (Grafana shares the host network).</summary>
    public static string Datasource => $"""
        # Provisioned by Fleet (infra/Observability/ObservabilityStack.cs).
        apiVersion: 1
        datasources:
          - name: Prometheus
            uid: fleet-prometheus
            type: prometheus
            access: proxy
            url: http://127.0.0.1:{PrometheusPort}
            isDefault: true
            editable: false

        """;

    /// <summary>The dashboard provider: the dashboards directory, read-only in the UI.</summary>
    public static string DashboardProvider => $"""
        # Provisioned by Fleet (infra/Observability/ObservabilityStack.cs).
        apiVersion: 1
        providers:
          - name: fleet
            type: file
            disableDeletion: true
            allowUiUpdates: false
            options:
              path: {DashboardDirectory}

        """;

    /// <summary>The alert rules (<c>infra/Observability/fleet-alerts.yml</c>).</summary>
    public static string Rules => Embedded("fleet-alerts.yml");

    /// <summary>The dashboard (<c>infra/Observability/fleet-dashboard.json</c>).</summary>
    public static string Dashboard => Embedded("fleet-dashboard.json");

    private static string Embedded(string name)
    {
        using var stream = typeof(ObservabilityStack).Assembly.GetManifestResourceStream("observability/" + name)
            ?? throw new InvalidOperationException($"embedded resource observability/{name} is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
