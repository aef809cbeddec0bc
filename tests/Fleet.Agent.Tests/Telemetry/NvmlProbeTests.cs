using Fleet.Agent.Gpu;

namespace Fleet.Agent.Tests.Telemetry;

public sealed class NvmlProbeTests
{
    [Fact]
    public void Without_the_nvml_library_no_gpu_is_reported()
    {
        using var probe = new NvmlProbe("libnvidia-ml-not-here.so.1");
        Assert.False(probe.Available);
        Assert.Empty(probe.Read());
    }
}
