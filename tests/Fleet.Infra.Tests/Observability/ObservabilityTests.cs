using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Infra.AppLayer;
using Fleet.Infra.Observability;
using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Observability;

/// <summary>
/// Prometheus and Grafana on the manager (<c>fleet:observability</c>): what the program renders passes the real
/// <c>promtool check config</c> and <c>check rules</c>; every PromQL expression of the rules and the dashboard parses
/// (promtool) and names only metrics a Fleet service exports (names read from the services' code) or Caddy exports (a
/// real scrape of Caddy running the rendered Caddyfile); nothing is published on the public plane.
/// </summary>
public sealed partial class ObservabilityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-observability").FullName;
    private Process? _caddy;

    public void Dispose()
    {
        if (_caddy is { HasExited: false }) _caddy.Kill(entireProcessTree: true);
        _caddy?.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The rendered scrape config and rules of an orchestrator's program.</summary>
    private static (string Config, string Rules, EvaluatedProgram Program) Rendered(string orchestrator, params (string, string?)[] more)
    {
        var (_, program) = Fleets.Evaluate([("fleet:orchestrator", orchestrator), .. more]);
        var (config, rules, _) = Files(program);
        return (config, rules, program);
    }

    /// <summary>The scrape config, the alert rules and the pool rules as the program gives them to Prometheus.</summary>
    private static (string Config, string Rules, string PoolRules) Files(EvaluatedProgram program)
    {
        if (program.Resources.Any(r => r.Name == "prometheus-rules"))
            return (Decode(program["prometheus-config"]), Decode(program["prometheus-rules"]), Decode(program["prometheus-pool-rules"]));
        var data = (IReadOnlyDictionary<string, object?>)program["prometheus-config"].Input("data")!;
        return ((string)data["prometheus.yml"]!, (string)data["fleet-alerts.yml"]!, (string)data["fleet-pools.yml"]!);
    }

    /// <summary>The control examples: the control service on the manager, on Swarm (DigitalOcean) and k3s (Hetzner).</summary>
    public static TheoryData<string> ControlExamples => new() { "examples/do-swarm-control", "examples/hetzner-k3s-control" };

    private static string Decode(EvaluatedResource config) => Encoding.UTF8.GetString(Convert.FromBase64String(config.InputString("data")));

    [Theory]
    [InlineData("swarm")]
    [InlineData("k3s")]
    [InlineData("examples/do-swarm-control")]
    [InlineData("examples/hetzner-k3s-control")]
    public void The_rendered_config_and_rules_pass_promtool(string fleet)
    {
        var program = fleet.StartsWith("examples/", StringComparison.Ordinal) ? Fleets.EvaluateCommitted(fleet).Program : Rendered(fleet).Program;
        var (config, rules, poolRules) = Files(program);
        var rulesPath = Path.Combine(_dir, "fleet-alerts.yml");
        File.WriteAllText(rulesPath, rules);
        var poolRulesPath = Path.Combine(_dir, "fleet-pools.yml");
        File.WriteAllText(poolRulesPath, poolRules);
        var configPath = Path.Combine(_dir, "prometheus.yml");
        // promtool opens the rule files the config names: point it at the copies.
        Assert.Contains(ObservabilityStack.RulesPath, config);
        Assert.Contains(ObservabilityStack.PoolRulesPath, config);
        var checkedConfig = config.Replace(ObservabilityStack.RulesPath, rulesPath, StringComparison.Ordinal)
            .Replace(ObservabilityStack.PoolRulesPath, poolRulesPath, StringComparison.Ordinal);
        if (config.Contains("kubernetes_sd_configs", StringComparison.Ordinal))
        {
            // Debian builds Prometheus without Kubernetes discovery (its promtool answers "field kubernetes_sd_configs not
            // found"). The block is checked here against the fields of prometheus discovery/kubernetes/kubernetes.go
            // @ v3.5.0 (SDConfig: role, namespaces.names, attach_metadata.node), and promtool checks the rest of the file
            // with the block swapped for a static target.
            const string block = "    kubernetes_sd_configs:\n      - role: pod\n        namespaces:\n          names: [fleet]\n        attach_metadata:\n          node: true\n";
            Assert.Contains(block, checkedConfig);
            checkedConfig = checkedConfig.Replace(block, "    static_configs:\n      - targets: ['10.0.0.1:8080']\n", StringComparison.Ordinal);
        }
        File.WriteAllText(configPath, checkedConfig);

        var (configCode, configOutput) = ExternalTool.Run("promtool", "check", "config", configPath);
        Assert.True(configCode == 0, $"promtool check config:\n{configOutput}\n---\n{config}");
        var (rulesCode, rulesOutput) = ExternalTool.Run("promtool", "check", "rules", rulesPath, poolRulesPath);
        Assert.True(rulesCode == 0, $"promtool check rules:\n{rulesOutput}\n---\n{poolRules}");
        Assert.Equal(ObservabilityStack.Rules, rules);
    }

    [Theory]
    [MemberData(nameof(ControlExamples))]
    public void With_the_control_service_prometheus_scrapes_it_where_it_listens_on_the_manager(string example)
    {
        var (config, _, _) = Files(Fleets.EvaluateCommitted(example).Program);
        var address = example.Contains("swarm", StringComparison.Ordinal) ? TestMocks.ManagerPrivateIp : "127.0.0.1";

        Assert.Contains($"  - job_name: control\n    static_configs:\n      - targets: ['{address}:8090']\n", config);
        Assert.DoesNotContain("job_name: control", Rendered(example.Contains("swarm", StringComparison.Ordinal) ? "swarm" : "k3s").Config);
    }

    [Theory]
    [InlineData("digitalocean", "s-2vcpu-4gb", "c-4", "USD", "zz-unknown-1")]
    [InlineData("hetzner", "cx23", "ccx33", "EUR", "cxz99")]
    public void The_pool_rules_record_the_catalogs_hourly_list_price_and_the_pools_max(string cloud, string managerSize, string poolSize, string currency, string unknownSize)
    {
        (string, string?)[] stack = cloud == "hetzner"
            ? [("fleet:cloud", "hetzner"), ("fleet:region", "fsn1"), ("fleet:manager", $"{{size: {managerSize}}}")]
            : [("fleet:manager", $"{{size: {managerSize}}}")];
        var (_, program) = Fleets.Evaluate([.. stack, ("fleet:pools", $"[{{name: big, size: {poolSize}, nodes: [a1, a2], min: 1, max: 5, autoscale: true}}, {{name: odd, size: {unknownSize}, count: 1}}]")]);
        var rules = Files(program).PoolRules;
        var catalog = Fleet.Infra.Catalog.CloudCatalog.For(cloud == "hetzner" ? Fleet.Infra.Catalog.CloudKind.Hetzner : Fleet.Infra.Catalog.CloudKind.DigitalOcean);

        var poolPrice = Math.Round(catalog.FindSize(poolSize)!.MonthlyPrice / 730m, 6);
        var managerPrice = Math.Round(catalog.FindSize(managerSize)!.MonthlyPrice / 730m, 6);
        Assert.Contains($"      - record: fleet:pool_hourly_price\n        expr: vector({poolPrice.ToString(System.Globalization.CultureInfo.InvariantCulture)})\n        labels:\n          pool: \"big\"\n          size: \"{poolSize}\"\n          currency: \"{currency}\"\n", rules);
        Assert.Contains($"      - record: fleet:manager_hourly_price\n        expr: vector({managerPrice.ToString(System.Globalization.CultureInfo.InvariantCulture)})\n", rules);
        Assert.Contains("      - record: fleet:pool_max_nodes\n        expr: vector(5)\n        labels:\n          pool: \"big\"\n", rules);
        // An unlisted size gets no price (a comment says so), never a made-up one.
        Assert.Contains($"# pool \"odd\": size \"{unknownSize}\" is not in the catalog", rules);
        Assert.Single(Regex.Matches(rules, "record: fleet:pool_hourly_price\n"));
        Assert.Single(Regex.Matches(rules, "record: fleet:pool_max_nodes\n")); // not for odd: it is not autoscaled
        Assert.Contains("fleet:pool_hourly_price * on (pool) group_left () fleet:pool_nodes", rules);
        Assert.Contains("count by (pool) (fleet_gateway_node_state == 1)", rules);
    }

    [Fact]
    public void Swarm_scrapes_the_gateway_and_caddy_on_the_managers_private_address_and_finds_agents_through_swarm()
    {
        var (config, _, _) = Rendered("swarm");

        Assert.Contains($"- targets: ['{TestMocks.ManagerPrivateIp}:8080']", config);
        Assert.Contains($"- targets: ['{TestMocks.ManagerPrivateIp}:{ObservabilityStack.CaddyMetricsPort}']", config);
        Assert.Contains("dockerswarm_sd_configs:\n      - host: unix:///var/run/docker.sock\n        role: nodes\n        port: 8080\n", config);
        Assert.Contains("[__meta_dockerswarm_node_role]\n        regex: \"worker\"\n        action: keep", config);
    }

    [Fact]
    public void K3s_finds_agent_pods_with_a_service_account_that_may_only_read_pods_and_nodes()
    {
        var (config, _, program) = Rendered("k3s");

        Assert.Contains("kubernetes_sd_configs:\n      - role: pod\n        namespaces:\n          names: [fleet]", config);
        Assert.Contains("- targets: ['127.0.0.1:8080']", config);
        var rule = Assert.Single((List<object?>)program["prometheus-cluster-role"].Input("rules")!);
        var r = (IReadOnlyDictionary<string, object?>)rule!;
        Assert.Equal(["get", "list", "watch"], ((List<object?>)r["verbs"]!).Cast<string>());
        Assert.Equal(["pods", "nodes"], ((List<object?>)r["resources"]!).Cast<string>());
        var binding = program["prometheus-cluster-role-binding"];
        var subject = (IReadOnlyDictionary<string, object?>)Assert.Single((List<object?>)binding.Input("subjects")!)!;
        Assert.Equal(("ServiceAccount", "prometheus", "fleet"), ((string)subject["kind"]!, (string)subject["name"]!, (string)subject["namespace"]!));
        var pod = Spec(program["prometheus"]);
        Assert.Equal("prometheus", pod["serviceAccountName"]);
    }

    [Fact]
    public void The_cost_follows_the_nodes_the_gateway_knows_and_the_at_max_alert_needs_a_full_pool()
    {
        var (_, program) = Fleets.Evaluate(("fleet:manager", "{size: s-2vcpu-4gb}"),
            ("fleet:pools", "[{name: cpu, size: s-8vcpu-16gb, nodes: [c1], max: 1, autoscale: true}, {name: burst, size: c-4, nodes: [a1, a2], min: 1, max: 4, autoscale: true}]"));
        var poolRules = Files(program).PoolRules;
        File.WriteAllText(Path.Combine(_dir, "fleet-pools.yml"), poolRules);
        decimal Hourly(string size) => Math.Round(Fleet.Infra.Catalog.CloudCatalog.DigitalOcean.FindSize(size)!.MonthlyPrice / 730m, 6);
        var micros = (Hourly("s-2vcpu-4gb") + Hourly("s-8vcpu-16gb") + 2 * Hourly("c-4")) * 1_000_000m;
        var atMax = Rules(poolRules).Single(r => Scalar(r, "alert") == "FleetPoolSaturatedAtMax");
        var description = Scalar((YamlDotNet.RepresentationModel.YamlMappingNode)atMax["annotations"], "description")!;

        // Both pools saturated with a queue; only cpu (1 node, max 1) is at its max. burst's a2 is dead: still billed.
        var series = new StringBuilder();
        foreach (var (node, pool, state) in new[] { ("c1", "cpu", "ready"), ("a1", "burst", "ready"), ("a2", "burst", "dead") })
        {
            foreach (var s in new[] { "ready", "dead" })
                series.Append("      - series: 'fleet_gateway_node_state{node=\"").Append(node).Append("\",pool=\"").Append(pool).Append("\",state=\"").Append(s).Append("\"}'\n        values: '").Append(s == state ? 1 : 0).Append("x30'\n");
            foreach (var (metric, value) in new[] { ("fleet_gateway_node_slots", 4), ("fleet_gateway_node_slots_busy", 4), ("fleet_gateway_node_queue_depth", 2) })
                series.Append("      - series: '").Append(metric).Append("{node=\"").Append(node).Append("\",pool=\"").Append(pool).Append("\"}'\n        values: '").Append(value).Append("x30'\n");
        }
        var test = $$"""
            rule_files:
              - fleet-pools.yml
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
            {{series}}
                promql_expr_test:
                  - expr: round(fleet:hourly_cost * 1000000)
                    eval_time: 5m
                    exp_samples:
                      - labels: '{currency="USD"}'
                        value: {{micros.ToString("0", System.Globalization.CultureInfo.InvariantCulture)}}
                  - expr: fleet:pool_nodes
                    eval_time: 5m
                    exp_samples:
                      - labels: 'fleet:pool_nodes{pool="burst"}'
                        value: 2
                      - labels: 'fleet:pool_nodes{pool="cpu"}'
                        value: 1
                alert_rule_test:
                  - eval_time: 15m
                    alertname: FleetPoolSaturatedAtMax
                    exp_alerts:
                      - exp_labels:
                          severity: critical
                          pool: cpu
                        exp_annotations:
                          summary: "Pool cpu is saturated at its max"
                          description: {{JsonSerializer.Serialize(description)}}

            """;
        var path = Path.Combine(_dir, "pools-test.yml");
        File.WriteAllText(path, test);
        var (code, output) = ExternalTool.Run("promtool", "test", "rules", path);
        Assert.True(code == 0, $"promtool test rules:\n{output}\n---\n{test}\n---\n{poolRules}");
    }

    [Fact]
    public void The_control_service_alerts_fire_on_a_failed_operation_and_on_operations_pending_with_none_finishing()
    {
        // The rules without their annotations (promtool compares those too; the labels are what is checked here).
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(ObservabilityStack.Rules));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (YamlDotNet.RepresentationModel.YamlMappingNode group in (YamlDotNet.RepresentationModel.YamlSequenceNode)root["groups"])
            foreach (YamlDotNet.RepresentationModel.YamlMappingNode rule in (YamlDotNet.RepresentationModel.YamlSequenceNode)group["rules"])
                rule.Children.Remove(new YamlDotNet.RepresentationModel.YamlScalarNode("annotations"));
        using (var writer = new StreamWriter(Path.Combine(_dir, "fleet-alerts.yml"))) yaml.Save(writer, assignAnchors: false);

        // prod: one failed scale at 3m, then one operation pending for good. other: pending too, but operations finish.
        var test = """
            rule_files:
              - fleet-alerts.yml
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'fleet_stacks_operations_total{stack="prod",kind="scale",result="failed"}'
                    values: '0 0 0 1x60'
                  - series: 'fleet_stacks_pending_operations{stack="prod"}'
                    values: '1x60'
                  - series: 'fleet_stacks_pending_operations{stack="other"}'
                    values: '1x60'
                  - series: 'fleet_stacks_operations_total{stack="other",kind="scale",result="succeeded"}'
                    values: '0+1x60'
                alert_rule_test:
                  - eval_time: 5m
                    alertname: FleetControlOperationFailed
                    exp_alerts:
                      - exp_labels:
                          severity: warning
                          stack: prod
                          kind: scale
                  - eval_time: 50m
                    alertname: FleetControlOperationFailed
                    exp_alerts: []
                  - eval_time: 50m
                    alertname: FleetControlOperationsStuck
                    exp_alerts:
                      - exp_labels:
                          severity: warning
                          stack: prod

            """;
        var path = Path.Combine(_dir, "control-test.yml");
        File.WriteAllText(path, test);
        var (code, output) = ExternalTool.Run("promtool", "test", "rules", path);
        Assert.True(code == 0, $"promtool test rules:\n{output}");
    }

    [Theory]
    [InlineData("swarm")]
    [InlineData("k3s")]
    public void Prometheus_and_grafana_listen_on_the_managers_loopback_and_nothing_is_published(string orchestrator)
    {
        var (_, _, program) = Rendered(orchestrator);
        Assert.Contains("--web.listen-address=127.0.0.1:9090", ObservabilityStack.PrometheusArgs);
        Assert.Contains(("GF_SERVER_HTTP_ADDR", "127.0.0.1"), ObservabilityStack.GrafanaEnv("/x"));

        if (orchestrator == "swarm")
        {
            foreach (var name in new[] { "service-prometheus", "service-grafana" })
            {
                var service = program[name];
                Assert.Null(service.Input("endpointSpec"));
                var task = (IReadOnlyDictionary<string, object?>)service.Input("taskSpec")!;
                var network = (IReadOnlyDictionary<string, object?>)Assert.Single((List<object?>)task["networksAdvanceds"]!)!;
                Assert.Equal(TestMocks.SwarmHostNetworkId, network["id"]);
                Assert.Contains(name["service-".Length..], ObservabilityStack.PrometheusImage + ObservabilityStack.GrafanaImage);
            }
            var grafanaEnv = (IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)((IReadOnlyDictionary<string, object?>)program["service-grafana"].Input("taskSpec")!)["containerSpec"]!)["env"]!;
            Assert.Equal("127.0.0.1", grafanaEnv["GF_SERVER_HTTP_ADDR"]);
            // Caddy publishes its metrics port for Prometheus; the public plane still admits only 80 and 443.
            var ports = ((List<object?>)((IReadOnlyDictionary<string, object?>)program["service-caddy"].Input("endpointSpec")!)["ports"]!)
                .Select(p => Convert.ToInt32(((IReadOnlyDictionary<string, object?>)p!)["publishedPort"], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal([80, 443, ObservabilityStack.CaddyMetricsPort], ports);
        }
        else
        {
            foreach (var name in new[] { "prometheus", "grafana" })
            {
                var pod = Spec(program[name]);
                Assert.Equal(true, pod["hostNetwork"]);
                var container = (IReadOnlyDictionary<string, object?>)Assert.Single((List<object?>)pod["containers"]!)!;
                Assert.False(container.ContainsKey("ports"), $"{name} declares ports");
            }
        }

        // The public plane is unchanged: only 80 and 443 from anywhere.
        foreach (var firewall in program.OfType(":Firewall"))
            foreach (var rule in (List<object?>?)firewall.Input("inboundRules") ?? [])
            {
                var r = (IReadOnlyDictionary<string, object?>)rule!;
                if (((List<object?>)r["sourceAddresses"]!).Contains("0.0.0.0/0"))
                    Assert.Contains((string)r["portRange"]!, new[] { "80", "443" });
            }
    }

    [Theory]
    [InlineData("swarm")]
    [InlineData("k3s")]
    public void Observability_false_leaves_prometheus_grafana_and_caddy_metrics_out(string orchestrator)
    {
        var (_, on) = Fleets.Evaluate(("fleet:orchestrator", orchestrator));
        var (_, off) = Fleets.Evaluate(("fleet:orchestrator", orchestrator), ("fleet:observability", "false"));

        var added = on.Resources.Select(r => r.Name).Except(off.Resources.Select(r => r.Name)).Order(StringComparer.Ordinal).ToArray();
        string[] expected = orchestrator == "swarm"
            ? ["grafana-admin-password", "grafana-admin-secret", "grafana-dashboard", "grafana-dashboard-provider", "grafana-datasource", "prometheus-config", "prometheus-pool-rules", "prometheus-rules", "service-grafana", "service-prometheus"]
            : ["grafana", "grafana-admin", "grafana-admin-password", "grafana-provisioning", "prometheus", "prometheus-cluster-role", "prometheus-cluster-role-binding", "prometheus-config", "prometheus-service-account"];
        Assert.Equal(expected, added);
        Assert.Empty(off.Resources.Select(r => r.Name).Except(on.Resources.Select(r => r.Name)));
        Assert.False(off.Outputs.ContainsKey("grafanaAdminPassword"));
        Assert.True(on.Outputs.ContainsKey("grafanaAdminPassword"));
        var caddyfile = orchestrator == "swarm" ? Decode(off["caddyfile"]) : (string)((IReadOnlyDictionary<string, object?>)off["caddyfile"].Input("data")!)["Caddyfile"]!;
        Assert.DoesNotContain("metrics", caddyfile);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("example.com", "ops@example.com", null)]
    [InlineData("example.com", "ops@example.com", "127.0.0.1")]
    public void Caddyfiles_with_metrics_pass_caddy_validate(string? domain, string? email, string? bind)
    {
        var path = Path.Combine(_dir, "Caddyfile");
        File.WriteAllText(path, CaddyfileBuilder.Build(new CaddyEdgeOptions(domain, email, "gateway:8080"), new CaddyMetrics(ObservabilityStack.CaddyMetricsPort, bind)));
        var (code, output) = ExternalTool.Run("caddy", "validate", "--adapter", "caddyfile", "--config", path);
        Assert.True(code == 0, $"caddy validate:\n{output}");
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("[true]")]
    public void A_non_boolean_observability_is_an_error_naming_the_key(string value)
    {
        var result = Fleet.Infra.Synthesis.SynthesisPipeline.Run(TestStacks.StackFile(("fleet:observability", value)));
        Assert.Null(result.Program);
        Assert.Contains(result.Diagnostics, d => d.Path == "fleet:observability");
    }

    [Fact]
    public void The_dashboard_is_provisioned_from_the_repository_file()
    {
        var (_, _, swarm) = Rendered("swarm");
        var (_, _, k3s) = Rendered("k3s");
        var file = File.ReadAllText(Path.Combine(RepoPaths.Infra, "Observability", "fleet-dashboard.json"));

        Assert.Equal(file, Decode(swarm["grafana-dashboard"]));
        Assert.Equal(file, ((IReadOnlyDictionary<string, object?>)k3s["grafana-provisioning"].Input("data")!)["fleet.json"]);
        Assert.Contains($"path: {ObservabilityStack.DashboardDirectory}", ObservabilityStack.DashboardProvider);
        Assert.Contains("uid: fleet-prometheus", ObservabilityStack.Datasource);
        using var doc = JsonDocument.Parse(file);
        foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
            Assert.Equal("fleet-prometheus", panel.GetProperty("datasource").GetProperty("uid").GetString());
    }

    [Fact]
    public async Task Every_query_parses_and_names_only_metrics_the_services_export()
    {
        var poolRules = Files(Fleets.EvaluateCommitted("examples/do-swarm-control").Program).PoolRules;
        var expressions = DashboardExpressions().Concat(RuleExpressions(ObservabilityStack.Rules)).Concat(RuleExpressions(poolRules)).ToArray();
        Assert.True(expressions.Length >= 20, $"only {expressions.Length} expressions found");

        // promtool parses every expression (as a recording rule of a throwaway file).
        var check = new StringBuilder("groups:\n  - name: parse\n    rules:\n");
        for (var i = 0; i < expressions.Length; i++)
            check.Append("      - record: fleet:parse_").Append(i).Append("\n        expr: ").Append(JsonSerializer.Serialize(expressions[i])).Append('\n');
        var path = Path.Combine(_dir, "parse.yml");
        File.WriteAllText(path, check.ToString());
        var (code, output) = ExternalTool.Run("promtool", "check", "rules", path);
        Assert.True(code == 0, $"promtool could not parse an expression:\n{output}");

        // Names the pool rules record are exported too (by Prometheus itself), and nothing else of the rules' own.
        var recorded = RuleRecords(poolRules).ToArray();
        Assert.Equal(["fleet:manager_hourly_price", "fleet:pool_hourly_price", "fleet:pool_max_nodes", "fleet:pool_nodes", "fleet:pool_hourly_cost", "fleet:hourly_cost"], recorded.Distinct());
        var exported = ExportedByFleet().Concat(await ScrapeCaddyAsync()).Concat(recorded).Append("up").ToHashSet(StringComparer.Ordinal);
        foreach (var expression in expressions)
            foreach (var metric in MetricNames(expression))
                Assert.True(exported.Contains(metric), $"'{metric}' in `{expression}` is exported by no Fleet service and not by Caddy");

        // A negative control: the check does see a name nobody exports.
        Assert.Contains("fleet_gateway_node_nonexistent", MetricNames("sum(fleet_gateway_node_nonexistent)").Except(exported));
    }

    private static IEnumerable<string> DashboardExpressions()
    {
        using var doc = JsonDocument.Parse(ObservabilityStack.Dashboard);
        return doc.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)).ToArray();
    }

    private static IEnumerable<string> RuleExpressions(string rules) => Rules(rules).Select(r => Scalar(r, "expr")!);

    private static IEnumerable<string> RuleRecords(string rules) => Rules(rules).Select(r => Scalar(r, "record")).OfType<string>();

    private static string? Scalar(YamlDotNet.RepresentationModel.YamlMappingNode rule, string key) =>
        rule.Children.TryGetValue(key, out var node) ? ((YamlDotNet.RepresentationModel.YamlScalarNode)node).Value : null;

    private static IEnumerable<YamlDotNet.RepresentationModel.YamlMappingNode> Rules(string rules)
    {
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(rules));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (YamlDotNet.RepresentationModel.YamlMappingNode group in (YamlDotNet.RepresentationModel.YamlSequenceNode)root["groups"])
            foreach (YamlDotNet.RepresentationModel.YamlMappingNode rule in (YamlDotNet.RepresentationModel.YamlSequenceNode)group["rules"])
                yield return rule;
    }

    /// <summary>The metric names of an expression: label matchers, strings, durations and grouping lists removed, then every identifier that is not PromQL's own.</summary>
    private static IEnumerable<string> MetricNames(string expression)
    {
        var text = Regex.Replace(expression, "\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"");
        text = Regex.Replace(text, @"\{[^}]*\}", " ");
        text = Regex.Replace(text, @"\[[^\]]*\]", " ");
        text = Regex.Replace(text, @"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ");
        return Regex.Matches(text, @"(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*(?![\w(])(?!\s*\()").Select(m => m.Value)
            .Where(n => !PromQlWords.Contains(n)).Distinct(StringComparer.Ordinal).ToArray();
    }

    private static readonly HashSet<string> PromQlWords = new(StringComparer.Ordinal) { "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "Inf", "NaN" };

    /// <summary>Every metric name the gateway, the agent and the control service define, read from their code (histograms with their series suffixes).</summary>
    private static IEnumerable<string> ExportedByFleet()
    {
        var names = new List<string>();
        foreach (var file in new[] { "gateway/Observability/GatewayMetrics.cs", "agent/Telemetry/PrometheusText.cs", "stacks/Observability/StacksMetrics.cs" })
        {
            var code = File.ReadAllText(Path.Combine(RepoPaths.Root, file));
            foreach (Match m in FleetMetricName().Matches(code))
            {
                var name = m.Groups[1].Value;
                names.Add(name);
                var histogram = Regex.IsMatch(code, $"CreateHistogram\\(\"{name}\"") || code.Contains($"\"{name}\", \"histogram\"", StringComparison.Ordinal);
                if (histogram) names.AddRange([name + "_bucket", name + "_sum", name + "_count"]);
            }
        }
        Assert.Contains("fleet_gateway_node_state", names);
        Assert.Contains("fleet_agent_time_to_first_token_seconds_bucket", names);
        Assert.Contains("fleet_gateway_request_duration_seconds_bucket", names);
        Assert.Contains("fleet_stacks_operations_total", names);
        return names;
    }

    [GeneratedRegex("\"(fleet_(?:gateway|agent|stacks)_[a-z0-9_]+)\"")]
    private static partial Regex FleetMetricName();

    /// <summary>Caddy (Debian's) running the Caddyfile the program renders with metrics on: the names on its /metrics after one proxied request.</summary>
    private async Task<IEnumerable<string>> ScrapeCaddyAsync()
    {
        var (httpPort, metricsPort) = (FreePort(), FreePort());
        var caddyfile = Path.Combine(_dir, "Caddyfile");
        File.WriteAllText(caddyfile, CaddyfileBuilder.Build(new CaddyEdgeOptions(null, null, "127.0.0.1:9", HttpPort: httpPort), new CaddyMetrics(metricsPort, "127.0.0.1")));
        var psi = new ProcessStartInfo("caddy") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "run", "--adapter", "caddyfile", "--config", caddyfile }) psi.ArgumentList.Add(a);
        psi.Environment["XDG_DATA_HOME"] = Path.Combine(_dir, "data");
        psi.Environment["XDG_CONFIG_HOME"] = Path.Combine(_dir, "config");
        _caddy = ExternalTool.Start(psi);
        var log = new StringBuilder();
        _caddy.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _caddy.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        _caddy.BeginOutputReadLine();
        _caddy.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? text = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && text is null)
        {
            Assert.False(_caddy.HasExited, "Caddy exited: " + log);
            try
            {
                await http.GetAsync($"http://127.0.0.1:{httpPort}/v1/models"); // 502: the upstream is closed; counted all the same
                var response = await http.GetAsync($"http://127.0.0.1:{metricsPort}/metrics");
                if (response.StatusCode == HttpStatusCode.OK) text = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200); // waiting for a real process to listen
            }
        }
        Assert.True(text is not null, "Caddy's metrics site never answered: " + log);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{metricsPort}/config/")).StatusCode);
        var names = text!.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => Regex.Match(l, "^[a-zA-Z_:][a-zA-Z0-9_:]*").Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("caddy_http_requests_total", names);
        // README, "Observability": no certificate-expiry alert, because Caddy exports no certificate metric.
        Assert.DoesNotContain(names, n => n.Contains("cert", StringComparison.Ordinal) || n.Contains("expir", StringComparison.Ordinal));
        return names;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static IReadOnlyDictionary<string, object?> Spec(EvaluatedResource deployment)
    {
        var spec = (IReadOnlyDictionary<string, object?>)deployment.Input("spec")!;
        var template = (IReadOnlyDictionary<string, object?>)spec["template"]!;
        return (IReadOnlyDictionary<string, object?>)template["spec"]!;
    }
}
