using LLama.Native;

namespace Fleet.Agent.Native;

/// <summary>
/// Picks the AVX build of llama.cpp from /proc/cpuinfo. Under NativeAOT LLamaSharp's own detection sees no AVX and
/// loads the noavx build (16x slower prompt processing), so the agent always chooses explicitly.
/// </summary>
public static class CpuFeatures
{
    /// <summary>The best level the flags support; avx512 needs f+bw+vbmi+vnni, as LLamaSharp's own check.</summary>
    public static AvxLevel FromFlags(IReadOnlySet<string> flags)
    {
        if (flags.Contains("avx512f") && flags.Contains("avx512bw") && flags.Contains("avx512vbmi") && flags.Contains("avx512_vnni"))
            return AvxLevel.Avx512;
        if (flags.Contains("avx2")) return AvxLevel.Avx2;
        if (flags.Contains("avx")) return AvxLevel.Avx;
        return AvxLevel.None;
    }

    /// <summary>The flags of the first processor listed in a /proc/cpuinfo text.</summary>
    public static IReadOnlySet<string> ParseCpuInfo(string cpuinfo)
    {
        foreach (var line in cpuinfo.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || line[..colon].Trim() != "flags") continue;
            return line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        }

        return new HashSet<string>();
    }

    /// <summary>Reads /proc/cpuinfo of this machine (none when it cannot be read).</summary>
    public static AvxLevel Detect() =>
        File.Exists("/proc/cpuinfo") ? FromFlags(ParseCpuInfo(File.ReadAllText("/proc/cpuinfo"))) : AvxLevel.None;

    public static AvxLevel Parse(string level) => level switch
    {
        "avx512" => AvxLevel.Avx512,
        "avx2" => AvxLevel.Avx2,
        "avx" => AvxLevel.Avx,
        _ => AvxLevel.None,
    };

    public static string Name(AvxLevel level) => level switch
    {
        AvxLevel.Avx512 => "avx512",
        AvxLevel.Avx2 => "avx2",
        AvxLevel.Avx => "avx",
        _ => "none",
    };
}
