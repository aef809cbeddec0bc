using Fleet.Infra.Orchestrators;
using Fleet.Infra.AppLayer;
using Fleet.Infra.Catalog;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;
using Fleet.Infra.Observability;

namespace Fleet.Infra.Orchestrators.K3s;

/// <summary>
/// The app layer on k3s through the kubernetes provider: a namespace; the gateway and Caddy on the manager (host network:
/// agents heartbeat to the manager's private address, Caddy binds 80/443); one agent DaemonSet per pool; on GPU pools the
/// nvidia RuntimeClass and the NVIDIA device plugin. Probes and resource limits on every container.
/// </summary>
public static class K3sAppLayer
{
    private const string DevicePluginImage = "nvcr.io/nvidia/k8s-device-plugin:v0.17.2";

    public static void Add(ProgramBuilder program, FleetConfig config, PString managerPrivateAddress, PulumiResource kubeconfig, PulumiResource manager, IReadOnlyList<WorkerNode> nodes)
    {
        var k8s = program.Add("kubernetes", KubernetesTypes.Provider, new PMapBuilder
        {
            { "kubeconfig", kubeconfig.Out("stdout") },
            { "enableServerSideApply", true },
            // The cluster is the manager: without an identifier the provider (and so every object) is replaced whenever
            // the kubeconfig is unknown in a preview, e.g. after the SSH key changes (pulumi-kubernetes DiffConfig).
            { "clusterIdentifier", manager.Out("id") },
            // Secrets and ConfigMaps change in place (not delete-and-recreate): the gateway's mounted files follow, and it
            // reloads node membership and API keys without a restart (pulumi-kubernetes diff.go forceNewProperties).
            { "enableSecretMutable", true },
            { "enableConfigMapMutable", true },
        });
        var ns = program.Add("namespace", KubernetesTypes.Namespace, new PMapBuilder { { "metadata", K8s.Metadata(K8s.Namespace, null) } }, k8s);
        var options = new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(ns) } }.Build();

        var adminToken = program.Add("gateway-admin-token", StackTypes.RandomPassword, new PMapBuilder { { "length", 48 }, { "special", false } });
        program.Add("gateway-files", KubernetesTypes.Secret, new PMapBuilder
        {
            { "metadata", K8s.Metadata("gateway-files") },
            { "stringData", new PMapBuilder
            {
                { "nodes.json", Px.ToJson(GatewayFiles.NodesDocument(nodes)) },
                { "api-keys.json", GatewayFiles.ApiKeysJson(config.ApiKeys) },
                { "jwt-issuers.json", config.JwtIssuers.Count > 0 ? GatewayFiles.JwtIssuersJson(config.JwtIssuers) : null },
                { "admin-token", adminToken.Out("result") },
            }.Build() },
        }, k8s, options);
        program.Add("caddyfile", KubernetesTypes.ConfigMap, new PMapBuilder
        {
            { "metadata", K8s.Metadata("caddyfile") },
            { "data", new PMapBuilder { { "Caddyfile", CaddyfileBuilder.Build(new CaddyEdgeOptions(config.Domain, config.AcmeEmail, $"127.0.0.1:{FleetPorts.Agent}",
                    ControlUpstream: config.Control is null ? null : $"127.0.0.1:{FleetPorts.Control}"),
                config.Observability ? new CaddyMetrics(ObservabilityStack.CaddyMetricsPort, Bind: "127.0.0.1") : null) } }.Build() },
        }, k8s, options);

        program.Add("gateway", KubernetesTypes.Deployment, ManagerDeployment("gateway", new PMapBuilder
        {
            { "name", "gateway" },
            { "image", config.Images.Gateway },
            { "env", K8s.Env([
                ("ASPNETCORE_URLS", Px.Lit($"http://0.0.0.0:{FleetPorts.Agent}")),
                ("FLEET_NODES_FILE", Px.Lit("/run/fleet/nodes.json")),
                ("FLEET_API_KEYS_FILE", Px.Lit("/run/fleet/api-keys.json")),
                ("FLEET_ADMIN_TOKEN_FILE", Px.Lit("/run/fleet/admin-token")),
                .. config.JwtIssuers.Count > 0 ? [("FLEET_JWT_ISSUERS_FILE", (PValue?)Px.Lit("/run/fleet/jwt-issuers.json"))] : Array.Empty<(string, PValue?)>(),
                .. GatewayEnvironment.For(config).Select(e => (e.Name, (PValue?)e.Value))]) },
            { "ports", new PList(new PMapBuilder { { "containerPort", FleetPorts.Agent }, { "name", "http" } }.Build()) },
            { "volumeMounts", new PList(K8s.Mount("files", "/run/fleet", readOnly: true)) },
            { "startupProbe", K8s.HttpProbe("/health", FleetPorts.Agent, 2, 30) },
            { "livenessProbe", K8s.HttpProbe("/health", FleetPorts.Agent, 10, 3) },
            { "readinessProbe", K8s.HttpProbe("/ready", FleetPorts.Agent, 5, 2) },
            { "resources", K8s.Resources("250m", "256Mi", "1Gi") },
            { "securityContext", NonRoot() },
        }.Build(), new PList(new PMapBuilder { { "name", "files" }, { "secret", new PMapBuilder { { "secretName", "gateway-files" } }.Build() } }.Build())), k8s, options);

        program.Add("caddy", KubernetesTypes.Deployment, ManagerDeployment("caddy", new PMapBuilder
        {
            { "name", "caddy" },
            { "image", config.Images.Caddy },
            { "ports", new PList(
                new PMapBuilder { { "containerPort", FleetPorts.Http }, { "name", "http" } }.Build(),
                new PMapBuilder { { "containerPort", FleetPorts.Https }, { "name", "https" } }.Build()) },
            { "volumeMounts", new PList(K8s.Mount("config", "/etc/caddy", readOnly: true), K8s.Mount("data", "/data", readOnly: false)) },
            { "livenessProbe", new PMapBuilder { { "tcpSocket", new PMapBuilder { { "port", config.Domain is null ? FleetPorts.Http : FleetPorts.Https } }.Build() }, { "periodSeconds", 10 } }.Build() },
            { "resources", K8s.Resources("100m", "64Mi", "512Mi") },
        }.Build(), new PList(
            new PMapBuilder { { "name", "config" }, { "configMap", new PMapBuilder { { "name", "caddyfile" } }.Build() } }.Build(),
            K8s.HostPath("data", "/var/lib/fleet/caddy", "DirectoryOrCreate"))), k8s, options);

        if (config.Pools.Any(p => p.Gpu)) AddGpuSupport(program, k8s);
        foreach (var pool in config.Pools) AddAgent(program, config, pool, managerPrivateAddress, k8s, options);
        if (config.Observability) AddObservability(program, config, k8s, options);
        if (config.Control is { } control) K3sControl.Add(program, config, control, k8s, options);
    }

    /// <summary>
    /// Prometheus and Grafana as single-replica Deployments on the manager's host network, listening on its loopback only
    /// (an SSH tunnel reaches them; no Service, no host port). Prometheus scrapes the gateway, Caddy and the control service
    /// (with <c>fleet:images.control</c>) on the loopback
    /// and finds agent pods through the API (a ServiceAccount that may only get, list and watch pods and nodes). Data
    /// under /var/lib/fleet on the manager; both run as root there (hostPath directories are root's), with every
    /// capability dropped.
    /// </summary>
    private static void AddObservability(ProgramBuilder program, FleetConfig config, PulumiResource k8s, PMap options)
    {
        const string role = "fleet-prometheus";
        var account = program.Add("prometheus-service-account", ServiceAccountType, new PMapBuilder { { "metadata", K8s.Metadata("prometheus") } }, k8s, options);
        var clusterRole = program.Add("prometheus-cluster-role", ClusterRoleType, new PMapBuilder
        {
            { "metadata", K8s.Metadata(role, null) },
            { "rules", new PList(new PMapBuilder
            {
                { "apiGroups", Px.Strings([""]) },
                { "resources", Px.Strings(["pods", "nodes"]) },
                { "verbs", Px.Strings(["get", "list", "watch"]) },
            }.Build()) },
        }, k8s);
        var binding = program.Add("prometheus-cluster-role-binding", ClusterRoleBindingType, new PMapBuilder
        {
            { "metadata", K8s.Metadata(role, null) },
            { "roleRef", new PMapBuilder { { "apiGroup", "rbac.authorization.k8s.io" }, { "kind", "ClusterRole" }, { "name", role } }.Build() },
            { "subjects", new PList(new PMapBuilder { { "kind", "ServiceAccount" }, { "name", "prometheus" }, { "namespace", K8s.Namespace } }.Build()) },
        }, k8s, new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(account, clusterRole) } });

        var prometheusConfig = program.Add("prometheus-config", KubernetesTypes.ConfigMap, new PMapBuilder
        {
            { "metadata", K8s.Metadata("prometheus-config") },
            { "data", new PMapBuilder
            {
                { "prometheus.yml", ObservabilityStack.PrometheusConfig(AgentDiscovery.KubernetesPods, config.Stack, "127.0.0.1", scrapeControl: config.Control is not null) },
                { "fleet-alerts.yml", ObservabilityStack.Rules },
                { "fleet-pools.yml", FleetPoolRules.Render(config) },
            }.Build() },
        }, k8s, options);
        var grafanaFiles = program.Add("grafana-provisioning", KubernetesTypes.ConfigMap, new PMapBuilder
        {
            { "metadata", K8s.Metadata("grafana-provisioning") },
            { "data", new PMapBuilder
            {
                { "datasource.yml", ObservabilityStack.Datasource },
                { "dashboards.yml", ObservabilityStack.DashboardProvider },
                { "fleet.json", ObservabilityStack.Dashboard },
            }.Build() },
        }, k8s, options);
        var password = program.Add("grafana-admin-password", StackTypes.RandomPassword, new PMapBuilder { { "length", 32 }, { "special", false } });
        var passwordSecret = program.Add("grafana-admin", KubernetesTypes.Secret, new PMapBuilder
        {
            { "metadata", K8s.Metadata("grafana-admin") },
            { "stringData", new PMapBuilder { { "password", password.Out("result") } }.Build() },
        }, k8s, options);
        program.Output("grafanaAdminPassword", Px.Secret(password.Out("result")));

        program.Add("prometheus", KubernetesTypes.Deployment, ManagerDeployment("prometheus", new PMapBuilder
        {
            { "name", "prometheus" },
            { "image", ObservabilityStack.PrometheusImage },
            { "args", Px.Strings(ObservabilityStack.PrometheusArgs) },
            { "volumeMounts", new PList(K8s.Mount("config", "/etc/prometheus", readOnly: true), K8s.Mount("data", "/prometheus", readOnly: false)) },
            { "readinessProbe", LoopbackProbe("/-/ready", ObservabilityStack.PrometheusPort) },
            { "resources", K8s.Resources("100m", "256Mi", "1Gi") },
            { "securityContext", RootWithoutCapabilities() },
        }.Build(), new PList(
            new PMapBuilder { { "name", "config" }, { "configMap", new PMapBuilder { { "name", "prometheus-config" } }.Build() } }.Build(),
            K8s.HostPath("data", "/var/lib/fleet/prometheus", "DirectoryOrCreate")), serviceAccount: "prometheus"),
            k8s, new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(binding, prometheusConfig) } });

        program.Add("grafana", KubernetesTypes.Deployment, ManagerDeployment("grafana", new PMapBuilder
        {
            { "name", "grafana" },
            { "image", ObservabilityStack.GrafanaImage },
            { "env", K8s.Env([.. ObservabilityStack.GrafanaEnv("/run/grafana-admin/password").Select(e => (e.Name, (PValue?)Px.Lit(e.Value)))]) },
            { "volumeMounts", new PList(
                SubPathMount("provisioning", ObservabilityStack.DatasourcePath, "datasource.yml"),
                SubPathMount("provisioning", ObservabilityStack.DashboardProviderPath, "dashboards.yml"),
                SubPathMount("provisioning", ObservabilityStack.DashboardPath, "fleet.json"),
                K8s.Mount("admin", "/run/grafana-admin", readOnly: true),
                K8s.Mount("data", "/var/lib/grafana", readOnly: false)) },
            { "readinessProbe", LoopbackProbe("/api/health", ObservabilityStack.GrafanaPort) },
            { "resources", K8s.Resources("50m", "64Mi", "256Mi") },
            { "securityContext", RootWithoutCapabilities() },
        }.Build(), new PList(
            new PMapBuilder { { "name", "provisioning" }, { "configMap", new PMapBuilder { { "name", "grafana-provisioning" } }.Build() } }.Build(),
            new PMapBuilder { { "name", "admin" }, { "secret", new PMapBuilder { { "secretName", "grafana-admin" } }.Build() } }.Build(),
            K8s.HostPath("data", "/var/lib/fleet/grafana", "DirectoryOrCreate"))),
            k8s, new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(grafanaFiles, passwordSecret) } });
    }

    /// <summary>An HTTP probe of a server that listens on the node's loopback (the kubelet probes from the host).</summary>
    private static PMap LoopbackProbe(string path, int port) => new PMapBuilder
    {
        { "httpGet", new PMapBuilder { { "host", "127.0.0.1" }, { "path", path }, { "port", port } }.Build() },
        { "periodSeconds", 10 },
        { "failureThreshold", 3 },
        { "timeoutSeconds", 3 },
    }.Build();

    private const string ServiceAccountType = "kubernetes:core/v1:ServiceAccount";
    private const string ClusterRoleType = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
    private const string ClusterRoleBindingType = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";

    /// <summary>One key of a ConfigMap as one file (the directories around it keep the image's own files).</summary>
    private static PMap SubPathMount(string volume, string path, string key) =>
        new PMapBuilder { { "name", volume }, { "mountPath", path }, { "subPath", key }, { "readOnly", true } }.Build();

    internal static PMap RootWithoutCapabilities() => new PMapBuilder
    {
        { "runAsUser", 0 },
        { "allowPrivilegeEscalation", false },
        { "capabilities", new PMapBuilder { { "drop", Px.Strings(["ALL"]) } }.Build() },
    }.Build();

    private static void AddAgent(ProgramBuilder program, FleetConfig config, PoolConfig pool, PString managerPrivateAddress, PulumiResource k8s, PMap options)
    {
        var name = $"agent-{pool.Name}";
        var memory = CloudCatalog.For(config.Cloud).FindSize(pool.Size)?.MemoryGiB;
        var container = new PMapBuilder
        {
            { "name", "agent" },
            { "image", pool.Gpu ? config.Images.AgentGpu ?? config.Images.Agent : config.Images.Agent },
            { "env", new PList([.. K8s.Env([.. AgentEnvironment.For(config, pool, managerPrivateAddress)]).Items,
                // The node name is the server's host name: the name the gateway knows this node's credential by.
                K8s.EnvFromField("FLEET_NODE_NAME", "spec.nodeName")]) },
            { "ports", new PList(new PMapBuilder { { "containerPort", FleetPorts.Agent }, { "name", "http" } }.Build()) },
            { "volumeMounts", new PList(K8s.Mount("credential", AgentEnvironment.CredentialPath, readOnly: true), K8s.Mount("cache", AgentEnvironment.CacheDir, readOnly: false)) },
            // The model downloads before /ready: allow a long start, then probe often.
            { "startupProbe", K8s.HttpProbe("/health", FleetPorts.Agent, 10, 60) },
            { "livenessProbe", K8s.HttpProbe("/health", FleetPorts.Agent, 10, 3) },
            { "readinessProbe", K8s.HttpProbe("/ready", FleetPorts.Agent, 5, 2) },
            { "resources", K8s.Resources("500m", "512Mi", memory is { } gib ? $"{gib * 1024 * 9 / 10}Mi" : null,
                pool.Gpu ? new PMapBuilder { { "nvidia.com/gpu", "1" } }.Build() : null) },
            { "securityContext", NonRoot() },
        }.Build();
        var labels = K8s.Labels(name);
        program.Add(name, KubernetesTypes.DaemonSet, new PMapBuilder
        {
            { "metadata", K8s.Metadata(name, labels: labels) },
            { "spec", new PMapBuilder
            {
                { "selector", new PMapBuilder { { "matchLabels", labels } }.Build() },
                { "updateStrategy", new PMapBuilder { { "type", "RollingUpdate" }, { "rollingUpdate", new PMapBuilder { { "maxUnavailable", 1 } }.Build() } }.Build() },
                { "template", new PMapBuilder
                {
                    { "metadata", new PMapBuilder { { "labels", labels } }.Build() },
                    { "spec", new PMapBuilder
                    {
                        { "nodeSelector", new PMapBuilder { { "fleet.pool", pool.Name } }.Build() },
                        // Host networking: the agent listens on the node's private address, where the gateway reaches it.
                        { "hostNetwork", true },
                        { "dnsPolicy", "ClusterFirstWithHostNet" },
                        { "runtimeClassName", pool.Gpu ? "nvidia" : null },
                        { "terminationGracePeriodSeconds", 60 },
                        { "containers", new PList(container) },
                        { "volumes", new PList(K8s.HostPath("credential", "/etc/fleet/node-credential", "File"), K8s.HostPath("cache", AgentEnvironment.CacheDir, "Directory")) },
                    }.Build() },
                }.Build() },
            }.Build() },
        }, k8s, options);
    }

    private static void AddGpuSupport(ProgramBuilder program, PulumiResource k8s)
    {
        var runtime = program.Add("runtimeclass-nvidia", KubernetesTypes.RuntimeClass, new PMapBuilder { { "metadata", K8s.Metadata("nvidia", null) }, { "handler", "nvidia" } }, k8s);
        var labels = K8s.Labels("nvidia-device-plugin");
        program.Add("nvidia-device-plugin", KubernetesTypes.DaemonSet, new PMapBuilder
        {
            { "metadata", K8s.Metadata("nvidia-device-plugin", "kube-system", labels) },
            { "spec", new PMapBuilder
            {
                { "selector", new PMapBuilder { { "matchLabels", labels } }.Build() },
                { "template", new PMapBuilder
                {
                    { "metadata", new PMapBuilder { { "labels", labels } }.Build() },
                    { "spec", new PMapBuilder
                    {
                        { "nodeSelector", new PMapBuilder { { "fleet.gpu", "true" } }.Build() },
                        { "runtimeClassName", "nvidia" },
                        { "priorityClassName", "system-node-critical" },
                        { "tolerations", new PList(new PMapBuilder { { "key", "nvidia.com/gpu" }, { "operator", "Exists" }, { "effect", "NoSchedule" } }.Build()) },
                        { "containers", new PList(new PMapBuilder
                        {
                            { "name", "nvidia-device-plugin" },
                            { "image", DevicePluginImage },
                            { "securityContext", new PMapBuilder { { "allowPrivilegeEscalation", false }, { "capabilities", new PMapBuilder { { "drop", Px.Strings(["ALL"]) } }.Build() } }.Build() },
                            { "volumeMounts", new PList(K8s.Mount("device-plugin", "/var/lib/kubelet/device-plugins", readOnly: false)) },
                            { "resources", K8s.Resources("50m", "64Mi", "256Mi") },
                        }.Build()) },
                        { "volumes", new PList(K8s.HostPath("device-plugin", "/var/lib/kubelet/device-plugins", "Directory")) },
                    }.Build() },
                }.Build() },
            }.Build() },
        }, k8s, new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(runtime) } });
    }

    /// <summary>A single-replica Deployment pinned to the manager, on the host network; Recreate, as host ports cannot overlap.</summary>
    internal static PMap ManagerDeployment(string name, PMap container, PList volumes, string? serviceAccount = null)
    {
        var labels = K8s.Labels(name);
        return new PMapBuilder
        {
            { "metadata", K8s.Metadata(name, labels: labels) },
            { "spec", new PMapBuilder
            {
                { "replicas", 1 },
                { "strategy", new PMapBuilder { { "type", "Recreate" } }.Build() },
                { "selector", new PMapBuilder { { "matchLabels", labels } }.Build() },
                { "template", new PMapBuilder
                {
                    { "metadata", new PMapBuilder { { "labels", labels } }.Build() },
                    { "spec", new PMapBuilder
                    {
                        { "nodeSelector", new PMapBuilder { { "fleet.role", "manager" } }.Build() },
                        { "serviceAccountName", serviceAccount },
                        { "hostNetwork", true },
                        { "dnsPolicy", "ClusterFirstWithHostNet" },
                        { "containers", new PList(container) },
                        { "volumes", volumes },
                    }.Build() },
                }.Build() },
            }.Build() },
        }.Build();
    }

    private static PMap NonRoot() => new PMapBuilder
    {
        { "runAsNonRoot", true },
        { "runAsUser", FleetPorts.AgentUid },
        { "runAsGroup", FleetPorts.AgentUid },
        { "allowPrivilegeEscalation", false },
        { "capabilities", new PMapBuilder { { "drop", Px.Strings(["ALL"]) } }.Build() },
    }.Build();
}
