using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Evaluation;

public class K3sProgramTests
{
    private static readonly (string, string?)[] K3s =
    [
        ("fleet:orchestrator", "k3s"),
        ("fleet:pools", "[{name: cpu, size: c-4, count: 1}, {name: gpu, size: gpu-l40sx1-48gb, gpu: true, count: 1}]"),
        ("fleet:images", "{agent: \"r/agent:1\", agentGpu: \"r/agent:1-cuda12\", gateway: \"r/gateway:1\"}"),
    ];

    [Fact]
    public void Workers_get_the_agent_token_and_never_the_server_token()
    {
        var (_, program) = Fleets.Evaluate(K3s);
        var serverToken = (string)EvaluatedResource.Unwrap(program["k3s-server-token"].Outputs["result"])!;
        var agentToken = (string)EvaluatedResource.Unwrap(program["k3s-agent-token"].Outputs["result"])!;

        foreach (var worker in new[] { "worker-cpu-1", "worker-gpu-1" })
        {
            var userData = program[worker].InputString("userData");
            Assert.DoesNotContain(serverToken, userData);
            Assert.Equal(agentToken, Fleets.File(Fleets.CloudConfig(program[worker]), "/etc/fleet/k3s-agent-token"));
            Assert.True(program[worker].IsSecret("userData"));
        }
        var manager = Fleets.CloudConfig(program[Fleet.Infra.Model.FleetNames.ManagerResource]);
        Assert.Equal(serverToken, Fleets.File(manager, "/etc/fleet/k3s-server-token"));
        Assert.Contains($"FLEET_PUBLIC_ADDR={TestMocks.ManagerPublicIp}\n", Fleets.File(manager, "/etc/fleet/fleet.env"));
    }

    [Fact]
    public void The_server_is_hardened_and_bound_to_the_private_network()
    {
        var script = File.ReadAllText(Path.Combine(RepoPaths.Infra, "Scripts", "fleet-k3s-server.sh"));

        foreach (var flag in new[] { "--node-ip \"$addr\"", "--advertise-address \"$addr\"", "--flannel-iface \"$iface\"", "--secrets-encryption", "--protect-kernel-defaults", "--agent-token-file", "--tls-san \"$FLEET_PUBLIC_ADDR\"" })
            Assert.Contains(flag, script);
        var (_, program) = Fleets.Evaluate(K3s);
        Assert.Contains("kernel.panic_on_oops=1", Fleets.File(Fleets.CloudConfig(program[Fleet.Infra.Model.FleetNames.ManagerResource]), "/etc/sysctl.d/90-kubelet.conf"));
    }

    [Fact]
    public void Pulumi_reaches_the_api_with_the_kubeconfig_read_from_the_manager()
    {
        var (_, program) = Fleets.Evaluate(K3s);
        var command = program["k3s-kubeconfig"];

        Assert.Contains($"https://{TestMocks.ManagerPublicIp}:6443", command.InputString("create"));
        Assert.Equal("k3s-kubeconfig", program["kubernetes"].DependsOn.SingleOrDefault() ?? ReferencedBy(program["kubernetes"]));
        Assert.All(program.Resources.Where(r => r.Type.StartsWith("kubernetes:", StringComparison.Ordinal)), r => Assert.Contains("kubernetes", r.DependsOn));
    }

    [Fact]
    public void Agents_run_as_a_daemonset_per_pool_with_probes_limits_and_gpus_where_the_pool_has_them()
    {
        var (_, program) = Fleets.Evaluate(K3s);

        var cpu = PodSpec(program["agent-cpu"]);
        Assert.Equal("cpu", ((Dictionary<string, object?>)cpu["nodeSelector"]!)["fleet.pool"]);
        Assert.False(cpu.ContainsKey("runtimeClassName"));
        var cpuContainer = (Dictionary<string, object?>)((List<object?>)cpu["containers"]!).Single()!;
        Assert.All(new[] { "startupProbe", "livenessProbe", "readinessProbe", "resources" }, k => Assert.True(cpuContainer.ContainsKey(k), k));
        Assert.Equal("7372Mi", ((Dictionary<string, object?>)((Dictionary<string, object?>)cpuContainer["resources"]!)["limits"]!)["memory"]); // 90% of c-4's 8 GiB

        var gpu = PodSpec(program["agent-gpu"]);
        Assert.Equal("nvidia", gpu["runtimeClassName"]);
        var gpuContainer = (Dictionary<string, object?>)((List<object?>)gpu["containers"]!).Single()!;
        Assert.Equal("1", ((Dictionary<string, object?>)((Dictionary<string, object?>)gpuContainer["resources"]!)["limits"]!)["nvidia.com/gpu"]);
        Assert.Equal("r/agent:1-cuda12", gpuContainer["image"]);
        Assert.Equal("nvidia", program["runtimeclass-nvidia"].Input("handler"));
        Assert.Equal("true", ((Dictionary<string, object?>)PodSpec(program["nvidia-device-plugin"])["nodeSelector"]!)["fleet.gpu"]);
    }

    [Fact]
    public void Firewalls_open_the_api_to_admins_and_the_cluster_ports_to_the_private_network_only()
    {
        var (_, program) = Fleets.Evaluate(K3s);
        var rules = program.OfType(":Firewall").SelectMany(f => ((List<object?>?)f.Input("inboundRules") ?? []).Cast<Dictionary<string, object?>>())
            .Select(r => $"{r["protocol"]}/{r["portRange"]} from {string.Join(",", ((List<object?>)r["sourceAddresses"]!).Cast<string>())}").ToHashSet();

        Assert.Contains("tcp/6443 from 203.0.113.7/32", rules);
        Assert.Contains("udp/8472 from 10.210.0.0/20", rules);
        Assert.Contains("tcp/10250 from 10.210.0.0/20", rules);
        Assert.DoesNotContain(rules, r => r.StartsWith("tcp/2377", StringComparison.Ordinal));
    }

    private static string ReferencedBy(EvaluatedResource provider) => provider.InputString("kubeconfig").Length > 0 ? "k3s-kubeconfig" : "";

    private static Dictionary<string, object?> PodSpec(EvaluatedResource workload) =>
        (Dictionary<string, object?>)((Dictionary<string, object?>)((Dictionary<string, object?>)workload.Input("spec")!)["template"]!)["spec"]!;
}
