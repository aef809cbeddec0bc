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
        if (o.NodeQueueAllowance < 0)
            errors.Add($"FLEET_NODE_QUEUE_ALLOWANCE={o.NodeQueueAllowance} must not be negative; the default is 0");
        if (o.MaxRequestBodyBytes < 1024)
            errors.Add($"FLEET_MAX_REQUEST_BODY_BYTES={o.MaxRequestBodyBytes} must be at least 1024; the default is 8388608");
    }
}
