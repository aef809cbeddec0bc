using System.Reflection;
using System.Runtime.InteropServices;
using Fleet.Agent.Configuration;
using LLama.Native;

namespace Fleet.Agent.Native;

/// <summary>
/// Configures LLamaSharp's native library selection before the first llama.cpp call (the configuration freezes then)
/// and reports what actually loaded.
/// </summary>
public static class NativeBackend
{
    private static readonly Lock Gate = new();
    private static bool _configured;
    private static string? _externalLibrary;

    /// <summary>The AVX level this process asked for (set by <see cref="Configure"/>).</summary>
    public static AvxLevel RequestedAvx { get; private set; } = AvxLevel.None;

    /// <summary>
    /// Chooses AVX level, CUDA and an optional external libllama. Idempotent: only the first call in a process counts.
    /// </summary>
    public static void Configure(AgentOptions options)
    {
        lock (Gate)
        {
            if (_configured) return;
            _configured = true;
            RequestedAvx = options.AvxOverride is { } avx ? CpuFeatures.Parse(avx) : CpuFeatures.Detect();
            var all = NativeLibraryConfig.All
                .WithLogCallback(NativeLog.Callback)
                .WithAvx(RequestedAvx)
                .WithCuda(BuildFlavour.StartsWith("Cuda", StringComparison.Ordinal) || options.NativeLibraryPath is not null)
                .WithAutoFallback(true);
            if (options.NativeLibraryPath is { } lib)
            {
                _externalLibrary = lib;
                // An external build (e.g. a CUDA libllama from the host). libggml*.so must sit next to it.
                all.WithLibrary(lib, null);
                all.WithSearchDirectory(Path.GetDirectoryName(Path.GetFullPath(lib))!);
            }
        }
    }

    /// <summary>The backend package the binary was built with (MSBuild property FleetBackend).</summary>
    public static string BuildFlavour { get; } =
        typeof(NativeBackend).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "FleetBackend")?.Value ?? "Cpu";

    /// <summary>Describes the loaded llama.cpp build. Call after the first model load.</summary>
    public static BackendInfo Describe()
    {
        var metadata = NativeApi.GetLoadedNativeLibrary(NativeLibraryName.LLama)?.Metadata;
        var devices = new List<string>();
        for (nuint i = 0; i < NativeApi.ggml_backend_dev_count(); i++)
            devices.Add(Marshal.PtrToStringUTF8(NativeApi.ggml_backend_dev_name(NativeApi.ggml_backend_dev_get(i))) ?? "?");
        var gpu = NativeApi.llama_supports_gpu_offload();
        var name = devices.Any(d => d.StartsWith("CUDA", StringComparison.OrdinalIgnoreCase)) ? "cuda"
            : devices.Any(d => d.StartsWith("Vulkan", StringComparison.OrdinalIgnoreCase)) ? "vulkan"
            : "cpu";
        // An explicitly given library (FLEET_NATIVE_LIBRARY) carries no metadata: say so rather than guess.
        var avx = _externalLibrary is not null ? "external" : metadata is null ? CpuFeatures.Name(RequestedAvx) : CpuFeatures.Name(metadata.AvxLevel);
        return new BackendInfo(name, avx, gpu, devices, SystemInfo(), BuildFlavour);
    }

    private static string SystemInfo()
    {
        var text = Marshal.PtrToStringUTF8(NativeApi.llama_print_system_info());
        return text?.Trim() ?? "";
    }
}
