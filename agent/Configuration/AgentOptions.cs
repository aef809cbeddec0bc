namespace Fleet.Agent.Configuration;

/// <summary>Everything the agent reads from <c>FLEET_*</c> environment variables, bound once at start.</summary>
public sealed record AgentOptions
{
    public string? ModelPath { get; init; }
    public Uri? ModelUrl { get; init; }
    public string? ModelSha256 { get; init; }
    public string ModelId { get; init; } = "";
    public string CacheDirectory { get; init; } = "";
    public int ContextSize { get; init; } = 4096;
    /// <summary>Layers to offload to the GPU; null = all of them when a GPU backend loaded (none on CPU).</summary>
    public int? GpuLayers { get; init; }
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int ParallelSlots { get; init; } = 4;
    public int QueueLimit { get; init; } = 16;
    public int MaxTokensDefault { get; init; } = 512;
    public Uri? GatewayUrl { get; init; }
    public string NodeName { get; init; } = "";
    public string Pool { get; init; } = "default";
    public string? CredentialFile { get; init; }
    public Uri? AdvertiseUrl { get; init; }
    /// <summary>When set (and <see cref="AdvertiseUrl"/> is not), advertise this host's address inside the range.</summary>
    public System.Net.IPNetwork? AdvertiseCidr { get; init; }
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public string? NativeLibraryPath { get; init; }
    public string? AvxOverride { get; init; }
    /// <summary>Most UTF-8 bytes of prompt text the agent will tokenize; null = 32 per token of a slot's context.</summary>
    public int? MaxPromptBytes { get; init; }
    public LogFormat LogFormat { get; init; } = LogFormat.Json;
}
