using System.Globalization;
using System.Net;

namespace Fleet.Gateway.Configuration;

/// <summary>Binds <see cref="GatewayOptions"/> from <c>FLEET_</c> environment variables, collecting every parse error.</summary>
public static class GatewayOptionsReader
{
    /// <summary>Reads the options; unparsable values are appended to <paramref name="errors"/> and left at their default.</summary>
    public static GatewayOptions Read(Func<string, string?> env, List<string> errors)
    {
        var d = new GatewayOptions();
        return d with
        {
            NodesFile = env("FLEET_NODES_FILE") ?? "",
            ApiKeysFile = env("FLEET_API_KEYS_FILE") ?? "",
            AdminTokenFile = env("FLEET_ADMIN_TOKEN_FILE") ?? "",
            JwtIssuersFile = env("FLEET_JWT_ISSUERS_FILE") ?? "",
            JwksTimeout = Seconds(env, "FLEET_JWKS_TIMEOUT_SECONDS", d.JwksTimeout, errors),
            Models = ModelList(env, "FLEET_MODELS", errors),
            ScaleFromZeroTimeout = Seconds(env, "FLEET_SCALE_FROM_ZERO_TIMEOUT_SECONDS", d.ScaleFromZeroTimeout, errors),
            ScaleFromZeroMaxHeld = Int(env, "FLEET_SCALE_FROM_ZERO_MAX_HELD", d.ScaleFromZeroMaxHeld, errors),
            HeartbeatInterval = Seconds(env, "FLEET_HEARTBEAT_INTERVAL_SECONDS", d.HeartbeatInterval, errors),
            SuspectAfterMissedBeats = Int(env, "FLEET_SUSPECT_AFTER_MISSED_BEATS", d.SuspectAfterMissedBeats, errors),
            DeadAfter = Seconds(env, "FLEET_DEAD_AFTER_SECONDS", d.DeadAfter, errors),
            PartitionFraction = Double(env, "FLEET_PARTITION_FRACTION", d.PartitionFraction, errors),
            PartitionMinNodes = Int(env, "FLEET_PARTITION_MIN_NODES", d.PartitionMinNodes, errors),
            QueueTimeout = Seconds(env, "FLEET_QUEUE_TIMEOUT_SECONDS", d.QueueTimeout, errors),
            MaxWaiting = Int(env, "FLEET_MAX_WAITING", d.MaxWaiting, errors),
            MaxClients = Int(env, "FLEET_MAX_CLIENTS", d.MaxClients, errors),
            NodeQueueAllowance = Int(env, "FLEET_NODE_QUEUE_ALLOWANCE", d.NodeQueueAllowance, errors),
            FileReloadInterval = Seconds(env, "FLEET_FILE_RELOAD_SECONDS", d.FileReloadInterval, errors),
            UpstreamHttpVersion = HttpVersion(env, "FLEET_UPSTREAM_HTTP_VERSION", d.UpstreamHttpVersion, errors),
            UpstreamConnectTimeout = Seconds(env, "FLEET_UPSTREAM_CONNECT_TIMEOUT_SECONDS", d.UpstreamConnectTimeout, errors),
            UpstreamActivityTimeout = Seconds(env, "FLEET_UPSTREAM_ACTIVITY_TIMEOUT_SECONDS", d.UpstreamActivityTimeout, errors),
            MaxRequestBodyBytes = Int(env, "FLEET_MAX_REQUEST_BODY_BYTES", d.MaxRequestBodyBytes, errors),
            PrivateNetworks = Networks(env, "FLEET_PRIVATE_CIDR", d.PrivateNetworks, errors),
            AgentPort = Int(env, "FLEET_AGENT_PORT", d.AgentPort, errors),
            MaxSlotsPerNode = Int(env, "FLEET_MAX_SLOTS_PER_NODE", d.MaxSlotsPerNode, errors),
            LogFormat = Format(env, "FLEET_LOG_FORMAT", d.LogFormat, errors),
        };
    }

    private static TimeSpan Seconds(Func<string, string?> env, string name, TimeSpan fallback, List<string> errors)
    {
        var raw = env(name);
        if (raw is null) return fallback;
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && double.IsFinite(s))
            return TimeSpan.FromSeconds(s);
        errors.Add($"{name}='{raw}' is not a number of seconds; set it like {name}={fallback.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        return fallback;
    }

    private static IReadOnlyList<string> ModelList(Func<string, string?> env, string name, List<string> errors)
    {
        var raw = env(name);
        if (raw is null) return [];
        var models = raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        foreach (var model in models.Where(m => m.Length > 256 || m.Any(char.IsControl)))
            errors.Add($"{name} has a model id of {model.Length} characters or with control characters; list model ids (at most 256 characters), " +
                       $"comma-separated, e.g. {name}=qwen2.5-0.5b,llama-3.1-8b");
        return models;
    }

    private static int Int(Func<string, string?> env, string name, int fallback, List<string> errors)
    {
        var raw = env(name);
        if (raw is null) return fallback;
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)) return v;
        errors.Add($"{name}='{raw}' is not an integer; set it like {name}={fallback}");
        return fallback;
    }

    private static double Double(Func<string, string?> env, string name, double fallback, List<string> errors)
    {
        var raw = env(name);
        if (raw is null) return fallback;
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
        errors.Add($"{name}='{raw}' is not a number; set it like {name}={fallback.ToString(CultureInfo.InvariantCulture)}");
        return fallback;
    }

    private static Version HttpVersion(Func<string, string?> env, string name, Version fallback, List<string> errors)
    {
        var raw = env(name);
        switch (raw)
        {
            case null: return fallback;
            case "1.1": return new Version(1, 1);
            case "2" or "2.0": return new Version(2, 0);
            default:
                errors.Add($"{name}='{raw}' is not an HTTP version the gateway speaks to agents; set {name}=1.1 or {name}=2");
                return fallback;
        }
    }

    private static IReadOnlyList<IPNetwork> Networks(Func<string, string?> env, string name, IReadOnlyList<IPNetwork> fallback, List<string> errors)
    {
        var raw = env(name);
        if (raw is null) return fallback;
        var networks = new List<IPNetwork>();
        foreach (var part in raw.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // The address part must be the network itself: 10.0.0.1/8 is a typo for something, not 10.0.0.0/8.
            if (IPNetwork.TryParse(part, out var network) && IPAddress.TryParse(part.Split('/')[0], out var first) && first.Equals(network.BaseAddress))
                networks.Add(network);
            else errors.Add($"{name} has '{part}', which is not a CIDR with its host bits zero; set it to the fleet's private network, e.g. {name}=10.128.0.0/20");
        }
        if (networks.Count == 0 && !raw.Split(',').Any(p => p.Trim().Length > 0))
            errors.Add($"{name} is empty; set it to the fleet's private network (the stack's fleet:networkCidr), e.g. {name}=10.128.0.0/20");
        return networks.Count > 0 ? networks : fallback;
    }

    private static LogFormat Format(Func<string, string?> env, string name, LogFormat fallback, List<string> errors)
    {
        var raw = env(name);
        switch (raw?.Trim().ToLowerInvariant())
        {
            case null: return fallback;
            case "json": return LogFormat.Json;
            case "text": return LogFormat.Text;
            default:
                errors.Add($"{name}='{raw}' is not a log format; set {name}=json (one JSON object per line) or {name}=text");
                return fallback;
        }
    }
}
