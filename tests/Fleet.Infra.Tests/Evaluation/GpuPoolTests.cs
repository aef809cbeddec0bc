using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Evaluation;

public class GpuPoolTests
{
    private static readonly (string, string?)[] Gpu =
    [
        ("fleet:pools", "[{name: cpu, size: c-4, count: 1}, {name: h100, size: gpu-h100x1-80gb, gpu: true, count: 1}]"),
        ("fleet:images", "{agent: \"r/agent:1\", agentGpu: \"r/agent:1-cuda12\", gateway: \"r/gateway:1\"}"),
    ];

    [Fact]
    public void Gpu_workers_install_the_nvidia_runtime_before_joining_and_cpu_workers_do_not()
    {
        var (_, program) = Fleets.Evaluate(Gpu);

        var gpu = Fleets.CloudConfig(program["worker-h100-1"]);
        Assert.Equal(["/usr/local/lib/fleet/fleet-gpu-driver.sh", "/usr/local/lib/fleet/fleet-gpu-docker.sh", "/usr/local/lib/fleet/fleet-swarm-worker.sh"],
            gpu.GetProperty("runcmd").EnumerateArray().Select(c => c[0].GetString()));
        Assert.Contains("\"fleet.gpu=true\"", Fleets.File(gpu, "/etc/docker/daemon.json"));
        var cpu = Fleets.CloudConfig(program["worker-cpu-1"]);
        Assert.Equal(["/usr/local/lib/fleet/fleet-swarm-worker.sh"], cpu.GetProperty("runcmd").EnumerateArray().Select(c => c[0].GetString()));
        Assert.Contains("\"fleet.gpu=false\"", Fleets.File(cpu, "/etc/docker/daemon.json"));
    }

    [Fact]
    public void Gpu_agents_run_the_cuda_image_and_offload_layers()
    {
        var (_, program) = Fleets.Evaluate(Gpu);

        var (gpuImage, gpuEnv) = Container(program["service-agent-h100"]);
        Assert.Equal("r/agent:1-cuda12", gpuImage);
        Assert.Equal(("999", "all"), ((string)gpuEnv["FLEET_GPU_LAYERS"]!, (string)gpuEnv["NVIDIA_VISIBLE_DEVICES"]!));
        var (cpuImage, cpuEnv) = Container(program["service-agent-cpu"]);
        Assert.Equal("r/agent:1", cpuImage);
        Assert.Equal("0", cpuEnv["FLEET_GPU_LAYERS"]);
        Assert.False(cpuEnv.ContainsKey("NVIDIA_VISIBLE_DEVICES"));
    }

    [Fact]
    public void A_pools_gpu_layers_setting_wins()
    {
        var (_, program) = Fleets.Evaluate(Gpu[1], ("fleet:pools", "[{name: h100, size: gpu-h100x1-80gb, gpu: true, count: 1, gpuLayers: 20}]"));

        Assert.Equal("20", Container(program["service-agent-h100"]).Env["FLEET_GPU_LAYERS"]);
    }

    private static (string Image, Dictionary<string, object?> Env) Container(EvaluatedResource service)
    {
        var spec = (Dictionary<string, object?>)((Dictionary<string, object?>)service.Input("taskSpec")!)["containerSpec"]!;
        return ((string)spec["image"]!, (Dictionary<string, object?>)spec["env"]!);
    }
}
