using System.Net;

namespace Fleet.Gateway.Configuration;

/// <summary>Checks <see cref="GatewayOptions"/>; each rule appends a message naming the variable and the fix.</summary>
public static class GatewayOptionsValidator
{
    /// <summary>Appends every problem found to <paramref name="errors"/>.</summary>
    public static void Validate(GatewayOptions o, List<string> errors)
    {
        Required(o.NodesFile, "FLEET_NODES_FILE", "the node credentials file the stack writes", errors);
        Required(o.ApiKeysFile, "FLEET_API_KEYS_FILE", "the API keys file the stack writes", errors);
        Required(o.AdminTokenFile, "FLEET_ADMIN_TOKEN_FILE", "the file holding the admin API token", errors);
        ValidateTimings(o, errors);
        ValidateLimits(o, errors);
        ValidateNodes(o, errors);
    }

    private static void Required(string path, string name, string what, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
            errors.Add($"{name} is not set; set it to the path of {what}");
    }

    private static void ValidateTimings(GatewayOptions o, List<string> errors)
    {
        if (o.HeartbeatInterval < TimeSpan.FromSeconds(1) || o.HeartbeatInterval > TimeSpan.FromSeconds(60))
            errors.Add($"FLEET_HEARTBEAT_INTERVAL_SECONDS={o.HeartbeatInterval.TotalSeconds} must be between 1 and 60; the default is 5");
        if (o.SuspectAfterMissedBeats < 1)
            errors.Add($"FLEET_SUSPECT_AFTER_MISSED_BEATS={o.SuspectAfterMissedBeats} must be at least 1; the default is 3");
        if (o.DeadAfter > TimeSpan.FromSeconds(60))
            errors.Add($"FLEET_DEAD_AFTER_SECONDS={o.DeadAfter.TotalSeconds} exceeds 60 s, the dead-node detection target; set it to at most 60");
        if (o.DeadAfter <= o.SuspectAfter)
            errors.Add($"FLEET_DEAD_AFTER_SECONDS={o.DeadAfter.TotalSeconds} must exceed the suspect window " +
                       $"({o.SuspectAfter.TotalSeconds} s = interval × missed beats); raise it or shorten FLEET_HEARTBEAT_INTERVAL_SECONDS");
        if (o.QueueTimeout < TimeSpan.Zero || o.QueueTimeout > TimeSpan.FromMinutes(10))
            errors.Add($"FLEET_QUEUE_TIMEOUT_SECONDS={o.QueueTimeout.TotalSeconds} must be between 0 and 600");
        if (o.JwksTimeout <= TimeSpan.Zero || o.JwksTimeout > TimeSpan.FromSeconds(60))
            errors.Add($"FLEET_JWKS_TIMEOUT_SECONDS={o.JwksTimeout.TotalSeconds} must be above 0 and at most 60; the default is 5");
        if (o.ScaleFromZeroTimeout < TimeSpan.Zero || o.ScaleFromZeroTimeout > TimeSpan.FromHours(1))
            errors.Add($"FLEET_SCALE_FROM_ZERO_TIMEOUT_SECONDS={o.ScaleFromZeroTimeout.TotalSeconds} must be between 0 and 3600; the default is 300");
        if (o.FileReloadInterval <= TimeSpan.Zero)
            errors.Add($"FLEET_FILE_RELOAD_SECONDS={o.FileReloadInterval.TotalSeconds} must be positive; the default is 2");
        if (o.UpstreamConnectTimeout <= TimeSpan.Zero)
            errors.Add($"FLEET_UPSTREAM_CONNECT_TIMEOUT_SECONDS={o.UpstreamConnectTimeout.TotalSeconds} must be positive; the default is 5");
        if (o.UpstreamActivityTimeout <= TimeSpan.Zero)
            errors.Add($"FLEET_UPSTREAM_ACTIVITY_TIMEOUT_SECONDS={o.UpstreamActivityTimeout.TotalSeconds} must be positive; the default is 300");
    }

    private static void ValidateLimits(GatewayOptions o, List<string> errors)
    {
        if (o.PartitionFraction is <= 0 or >= 1)
            errors.Add($"FLEET_PARTITION_FRACTION={o.PartitionFraction} must be between 0 and 1 (exclusive); the default is 0.5");
        if (o.PartitionMinNodes < 2)
            errors.Add($"FLEET_PARTITION_MIN_NODES={o.PartitionMinNodes} must be at least 2; the default is 3");
        if (o.MaxWaiting < 0)
            errors.Add($"FLEET_MAX_WAITING={o.MaxWaiting} must not be negative; the default is 1000");
        if (o.MaxClients is < 1 or > 10_000_000)
            errors.Add($"FLEET_MAX_CLIENTS={o.MaxClients} must be between 1 and 10000000 (each tracked client holds well under 1 KiB); the default is 100000");
        if (o.ScaleFromZeroMaxHeld < 0)
            errors.Add($"FLEET_SCALE_FROM_ZERO_MAX_HELD={o.ScaleFromZeroMaxHeld} must not be negative; the default is 100");
        if (o.NodeQueueAllowance is < 0 or > 100_000)
            errors.Add($"FLEET_NODE_QUEUE_ALLOWANCE={o.NodeQueueAllowance} must be between 0 and 100000; the default is 0");
        if (o.MaxRequestBodyBytes is < 1024 or > MaxBodyCeiling)
            errors.Add($"FLEET_MAX_REQUEST_BODY_BYTES={o.MaxRequestBodyBytes} must be between 1024 and {MaxBodyCeiling} (about 16 bytes per token of " +
                       "the model's context is plenty); the default is 262144");
    }

    private static void ValidateNodes(GatewayOptions o, List<string> errors)
    {
        foreach (var network in o.PrivateNetworks)
        {
            if (!PrivateRanges.Any(r => r.Contains(network.BaseAddress) && r.PrefixLength <= network.PrefixLength))
                errors.Add($"FLEET_PRIVATE_CIDR has {network}, which is not a private range (10/8, 172.16/12, 192.168/16, fc00::/7 or " +
                           "loopback); set it to the stack's fleet:networkCidr, e.g. FLEET_PRIVATE_CIDR=10.128.0.0/20");
        }
        if (o.AgentPort is < 0 or > 65535)
            errors.Add($"FLEET_AGENT_PORT={o.AgentPort} must be a TCP port (1-65535), or 0 for any port; the default is 8080");
        if (o.MaxSlotsPerNode is < 1 or > 4096)
            errors.Add($"FLEET_MAX_SLOTS_PER_NODE={o.MaxSlotsPerNode} must be between 1 and 4096; set it to the stack's fleet:model.parallel");
    }

    private const int MaxBodyCeiling = 8 * 1024 * 1024;

    // Where a node may live: private IPv4, IPv6 unique-local, and loopback (local runs and tests).
    private static readonly IPNetwork[] PrivateRanges =
    [
        IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("::1/128"),
    ];
}
