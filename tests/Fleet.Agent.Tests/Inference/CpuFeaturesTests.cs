using Fleet.Agent.Native;
using LLama.Native;

namespace Fleet.Agent.Tests.Inference;

public sealed class CpuFeaturesTests
{
    [Theory]
    [InlineData("fpu sse avx avx2 avx512f avx512bw avx512vbmi avx512_vnni", AvxLevel.Avx512)]
    [InlineData("fpu sse avx avx2 avx512f avx512bw", AvxLevel.Avx2)] // no vbmi/vnni: LLamaSharp's avx512 build needs them
    [InlineData("fpu sse avx", AvxLevel.Avx)]
    [InlineData("fpu sse sse2", AvxLevel.None)]
    public void Picks_the_best_build_the_flags_support(string flags, AvxLevel expected)
    {
        var cpuinfo = $"processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: {flags}\n\nprocessor\t: 1\nflags\t\t: fpu\n";
        Assert.Equal(expected, CpuFeatures.FromFlags(CpuFeatures.ParseCpuInfo(cpuinfo)));
    }

    [Fact]
    public void This_machine_has_at_least_avx()
    {
        // CI and dev machines for this project are x86-64 with AVX; noavx would be a 4-16x slowdown.
        Assert.NotEqual(AvxLevel.None, CpuFeatures.Detect());
    }
}
