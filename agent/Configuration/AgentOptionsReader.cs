using System.Globalization;
using System.Text.RegularExpressions;

namespace Fleet.Agent.Configuration;

/// <summary>
/// Binds <c>FLEET_*</c> variables into <see cref="AgentOptions"/> and validates them, collecting every problem.
/// </summary>
public static partial class AgentOptionsReader
{
    /// <summary>Reads and validates; throws <see cref="AgentConfigurationException"/> listing all problems.</summary>
    public static AgentOptions Read(Func<string, string?> env)
    {
        var errors = new List<ConfigDiagnostic>();
        var modelPath = Text(env, "FLEET_MODEL_PATH");
        var modelUrl = Url(env, "FLEET_MODEL_URL", errors);
        var sha = Text(env, "FLEET_MODEL_SHA256")?.ToLowerInvariant();

        if (modelPath is null && modelUrl is null)
            errors.Add(new("FLEET_MODEL_PATH", null, "no model configured",
                "set FLEET_MODEL_PATH=/models/model.gguf, or FLEET_MODEL_URL=https://... with FLEET_MODEL_SHA256=<64 hex>"));
        if (modelPath is not null && modelUrl is not null)
            errors.Add(new("FLEET_MODEL_URL", modelUrl.ToString(), "both FLEET_MODEL_PATH and FLEET_MODEL_URL are set",
                "unset one of them"));
        if (modelPath is not null && modelUrl is null && !File.Exists(modelPath))
            errors.Add(new("FLEET_MODEL_PATH", modelPath, "file does not exist", "point it at a readable .gguf file"));
        if (modelUrl is not null && sha is null)
            errors.Add(new("FLEET_MODEL_SHA256", null, "a downloaded model must be verified",
                "set FLEET_MODEL_SHA256 to the file's sha256 (sha256sum model.gguf)"));
        if (sha is not null && !Sha256Pattern().IsMatch(sha))
            errors.Add(new("FLEET_MODEL_SHA256", sha, "not 64 hex characters", "copy the hash printed by sha256sum"));

        var credentialFile = Text(env, "FLEET_NODE_CREDENTIAL_FILE");
        if (credentialFile is not null && !File.Exists(credentialFile))
            errors.Add(new("FLEET_NODE_CREDENTIAL_FILE", credentialFile, "file does not exist",
                "point it at the file holding this node's token"));
        var gateway = Url(env, "FLEET_GATEWAY_URL", errors);
        if (gateway is not null && !gateway.AbsolutePath.EndsWith('/'))
            gateway = new Uri(gateway + "/"); // "https://gw/fleet" keeps its path when "v1/agents/heartbeat" is resolved against it
        if (gateway is not null && credentialFile is null)
            errors.Add(new("FLEET_NODE_CREDENTIAL_FILE", null, "heartbeats to FLEET_GATEWAY_URL need this node's credential",
                "set FLEET_NODE_CREDENTIAL_FILE=/run/secrets/fleet-node-token"));

        var slots = Int(env, "FLEET_PARALLEL_SLOTS", 4, 1, 256, errors);
        var context = Int(env, "FLEET_CONTEXT_SIZE", 4096, 256, 1 << 20, errors);
        var nativeLib = Text(env, "FLEET_NATIVE_LIBRARY");
        if (nativeLib is not null && !File.Exists(nativeLib))
            errors.Add(new("FLEET_NATIVE_LIBRARY", nativeLib, "file does not exist",
                "point it at libllama.so (with its libggml*.so next to it), or unset it to use the bundled backend"));
        var avx = Text(env, "FLEET_AVX")?.ToLowerInvariant();
        if (avx is not null && avx is not ("none" or "avx" or "avx2" or "avx512"))
            errors.Add(new("FLEET_AVX", avx, "unknown AVX level", "use none, avx, avx2 or avx512, or unset it to detect"));

        var options = new AgentOptions
        {
            ModelPath = modelPath,
            ModelUrl = modelUrl,
            ModelSha256 = sha,
            ModelId = Text(env, "FLEET_MODEL_ID") ?? DefaultModelId(modelPath, modelUrl),
            CacheDirectory = Text(env, "FLEET_CACHE_DIR") ?? DefaultCacheDirectory(env),
            ContextSize = context,
            GpuLayers = Text(env, "FLEET_GPU_LAYERS") is null ? null : Int(env, "FLEET_GPU_LAYERS", 999, 0, 100_000, errors),
            Threads = Int(env, "FLEET_THREADS", Environment.ProcessorCount, 1, 1024, errors),
            ParallelSlots = slots,
            QueueLimit = Int(env, "FLEET_QUEUE_LIMIT", 16, 0, 100_000, errors),
            MaxTokensDefault = Int(env, "FLEET_MAX_TOKENS_DEFAULT", 512, 1, 1 << 20, errors),
            GatewayUrl = gateway,
            NodeName = Text(env, "FLEET_NODE_NAME") ?? Environment.MachineName,
            Pool = Text(env, "FLEET_POOL") ?? "default",
            CredentialFile = credentialFile,
            AdvertiseUrl = Url(env, "FLEET_ADVERTISE_URL", errors),
            AdvertiseCidr = Cidr(env, "FLEET_ADVERTISE_CIDR", errors),
            HeartbeatInterval = TimeSpan.FromSeconds(Int(env, "FLEET_HEARTBEAT_SECONDS", 5, 1, 3600, errors)),
            DrainTimeout = TimeSpan.FromSeconds(Int(env, "FLEET_DRAIN_TIMEOUT_SECONDS", 30, 0, 3600, errors)),
            NativeLibraryPath = nativeLib,
            AvxOverride = avx,
            MaxPromptBytes = Text(env, "FLEET_MAX_PROMPT_BYTES") is null ? null
                : Int(env, "FLEET_MAX_PROMPT_BYTES", 1 << 20, 1024, 1 << 30, errors),
            LogFormat = Format(env, errors),
        };
        if (context / slots < 64)
            errors.Add(new("FLEET_CONTEXT_SIZE", context.ToString(CultureInfo.InvariantCulture),
                $"{slots} slots leave fewer than 64 tokens of context each", "raise FLEET_CONTEXT_SIZE or lower FLEET_PARALLEL_SLOTS"));

        if (errors.Count > 0) throw new AgentConfigurationException(errors);
        return options;
    }

    /// <summary>Reads the node credential from <see cref="AgentOptions.CredentialFile"/> (trimmed).</summary>
    public static NodeCredential ReadCredential(AgentOptions options)
    {
        if (options.CredentialFile is not { } file) return NodeCredential.None;
        try
        {
            var token = File.ReadAllText(file).Trim();
            if (token.Length > 0) return new NodeCredential(token);
            throw new AgentConfigurationException([new("FLEET_NODE_CREDENTIAL_FILE", file, "the file is empty",
                "write this node's token into it (the infra stack provides one per node)")]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentConfigurationException([new("FLEET_NODE_CREDENTIAL_FILE", file, $"cannot be read ({e.Message})",
                "make it readable by the agent's user")]);
        }
    }

    private static string? Text(Func<string, string?> env, string key) =>
        env(key) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private static int Int(Func<string, string?> env, string key, int fallback, int min, int max, List<ConfigDiagnostic> errors)
    {
        var raw = Text(env, key);
        if (raw is null) return fallback;
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        errors.Add(new(key, raw, $"must be a whole number from {min} to {max}", $"set {key}={fallback} (the default) or unset it"));
        return fallback;
    }

    private static LogFormat Format(Func<string, string?> env, List<ConfigDiagnostic> errors)
    {
        switch (Text(env, "FLEET_LOG_FORMAT")?.ToLowerInvariant())
        {
            case null or "json": return LogFormat.Json;
            case "text": return LogFormat.Text;
            default:
                errors.Add(new("FLEET_LOG_FORMAT", Text(env, "FLEET_LOG_FORMAT"), "unknown log format",
                    "set FLEET_LOG_FORMAT=json (one JSON object per line, the default) or FLEET_LOG_FORMAT=text"));
                return LogFormat.Json;
        }
    }

    private static Uri? Url(Func<string, string?> env, string key, List<ConfigDiagnostic> errors)
    {
        var raw = Text(env, key);
        if (raw is null) return null;
        if (Uri.TryCreate(raw, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https") return uri;
        errors.Add(new(key, raw, "not an absolute http(s) URL", $"set {key}=https://host[:port]/..."));
        return null;
    }

    private static System.Net.IPNetwork? Cidr(Func<string, string?> env, string key, List<ConfigDiagnostic> errors)
    {
        var raw = Text(env, key);
        if (raw is null) return null;
        if (raw.Contains('/') && System.Net.IPNetwork.TryParse(raw, out var network)) return network;
        errors.Add(new(key, raw, "not a CIDR range", $"set {key} to the private network, e.g. {key}=10.210.0.0/20"));
        return null;
    }

    private static string DefaultModelId(string? path, Uri? url)
    {
        var name = path ?? url?.AbsolutePath ?? "model";
        return Path.GetFileNameWithoutExtension(name);
    }

    private static string DefaultCacheDirectory(Func<string, string?> env) =>
        Path.Combine(Text(env, "XDG_CACHE_HOME") ?? Path.Combine(Text(env, "HOME") ?? "/tmp", ".cache"), "fleet-agent", "models");

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
