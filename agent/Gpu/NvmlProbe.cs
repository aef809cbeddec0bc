using System.Runtime.InteropServices;

namespace Fleet.Agent.Gpu;

/// <summary>
/// Reads GPU name, memory and utilisation through NVML (libnvidia-ml.so.1) when the driver provides it. Without the
/// library, or when NVML fails to initialise, it reports no GPUs: nothing is invented.
/// </summary>
public sealed unsafe class NvmlProbe : IDisposable
{
    private readonly nint _lib;
    private readonly delegate* unmanaged<uint*, int> _count;
    private readonly delegate* unmanaged<uint, nint*, int> _handle;
    private readonly delegate* unmanaged<nint, byte*, uint, int> _name;
    private readonly delegate* unmanaged<nint, MemoryInfo*, int> _memory;
    private readonly delegate* unmanaged<nint, Utilization*, int> _utilization;
    private readonly delegate* unmanaged<int> _shutdown;

    public NvmlProbe(string library = "libnvidia-ml.so.1")
    {
        if (!NativeLibrary.TryLoad(library, out _lib)) return;
        try
        {
            var init = (delegate* unmanaged<int>)NativeLibrary.GetExport(_lib, "nvmlInit_v2");
            _count = (delegate* unmanaged<uint*, int>)NativeLibrary.GetExport(_lib, "nvmlDeviceGetCount_v2");
            _handle = (delegate* unmanaged<uint, nint*, int>)NativeLibrary.GetExport(_lib, "nvmlDeviceGetHandleByIndex_v2");
            _name = (delegate* unmanaged<nint, byte*, uint, int>)NativeLibrary.GetExport(_lib, "nvmlDeviceGetName");
            _memory = (delegate* unmanaged<nint, MemoryInfo*, int>)NativeLibrary.GetExport(_lib, "nvmlDeviceGetMemoryInfo");
            _utilization = (delegate* unmanaged<nint, Utilization*, int>)NativeLibrary.GetExport(_lib, "nvmlDeviceGetUtilizationRates");
            _shutdown = (delegate* unmanaged<int>)NativeLibrary.GetExport(_lib, "nvmlShutdown");
            Available = init() == 0;
        }
        catch (EntryPointNotFoundException)
        {
            Available = false;
        }
    }

    /// <summary>True when NVML loaded and initialised.</summary>
    public bool Available { get; }

    /// <summary>Current state of every GPU; empty when NVML is not available or a call fails.</summary>
    public IReadOnlyList<GpuStatus> Read()
    {
        if (!Available) return [];
        uint count;
        if (_count(&count) != 0) return [];
        var gpus = new List<GpuStatus>((int)count);
        var name = stackalloc byte[96];
        for (uint i = 0; i < count; i++)
        {
            nint device;
            MemoryInfo memory;
            Utilization utilization;
            if (_handle(i, &device) != 0 || _name(device, name, 96) != 0 || _memory(device, &memory) != 0) continue;
            var percent = _utilization(device, &utilization) == 0 ? (int)utilization.Gpu : 0;
            gpus.Add(new GpuStatus(Marshal.PtrToStringUTF8((nint)name) ?? "", (long)(memory.Total >> 20), (long)(memory.Used >> 20), percent));
        }

        return gpus;
    }

    public void Dispose()
    {
        if (Available) _shutdown();
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryInfo
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Utilization
    {
        public uint Gpu;
        public uint Memory;
    }
}
