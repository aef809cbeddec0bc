namespace Fleet.Agent.Native;

/// <summary>What really serves: the llama.cpp build that loaded, not what was asked for.</summary>
/// <param name="Name">"cpu", "cuda" or "vulkan": the value sent in heartbeats.</param>
/// <param name="AvxLevel">The AVX build chosen ("none", "avx", "avx2", "avx512"), or "external" for FLEET_NATIVE_LIBRARY.</param>
/// <param name="GpuOffload">llama_supports_gpu_offload().</param>
/// <param name="Devices">ggml backend devices, e.g. "CPU", "CUDA0".</param>
/// <param name="SystemInfo">llama_print_system_info().</param>
/// <param name="BuildFlavour">The LLamaSharp backend package this binary was built with (Cpu, Cuda12).</param>
public sealed record BackendInfo(string Name, string AvxLevel, bool GpuOffload, IReadOnlyList<string> Devices, string SystemInfo, string BuildFlavour);
