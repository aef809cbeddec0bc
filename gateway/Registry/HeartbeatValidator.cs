using System.Globalization;
using Fleet.Gateway.Configuration;

namespace Fleet.Gateway.Registry;

/// <summary>
/// Checks every number and string a node reports before the gateway believes it: impossible values (negative, not
/// finite, beyond any real machine) are refused naming the field; capacity is clamped to what the stack gave a node.
/// </summary>
public static class HeartbeatValidator
{
    /// <summary>Most requests a node's own queue can plausibly hold.</summary>
    public const int MaxQueueDepth = 1_000_000;

    /// <summary>Highest plausible p95 time to first token: an hour.</summary>
    public const double MaxTtftMs = 3_600_000;

    /// <summary>Highest plausible decode throughput of one node.</summary>
    public const double MaxTokensPerSecond = 1_000_000;

    private const int MaxGpus = 64;
    private const long MaxGpuMemoryMiB = 16L * 1024 * 1024;

    /// <summary>The first problem found, or null when the heartbeat is believable.</summary>
    public static HeartbeatProblem? Check(Heartbeat h)
    {
        return Text("node", h.Node, 128, required: true)
            ?? Text("pool", h.Pool, 128, required: true)
            ?? Text("version", h.Version, 64)
            ?? Text("backend", h.Backend, 64)
            ?? Text("instance", h.Instance, 128)
            ?? Text("model.id", h.Model?.Id, 256)
            ?? Text("model.sha256", h.Model?.Sha256, 128)
            ?? (h.State is "loading" or "ready" or "draining" ? null
                : new HeartbeatProblem("state", $"\"state\" is '{h.State}'; expected loading, ready or draining"))
            ?? (h.State == "ready" && string.IsNullOrEmpty(h.Model?.Id) ? new HeartbeatProblem("model.id", "a ready node must report model.id") : null)
            ?? Range("sequence", h.Sequence, 0, long.MaxValue)
            ?? Range("slots.total", h.Slots?.Total ?? 0, 0, int.MaxValue)
            ?? Range("slots.busy", h.Slots?.Busy ?? 0, 0, int.MaxValue)
            ?? Range("queue.depth", h.Queue?.Depth ?? 0, 0, MaxQueueDepth)
            ?? Range("tokensPerSecond", h.TokensPerSecond, 0, MaxTokensPerSecond)
            ?? Range("ttftP95Ms", h.TtftP95Ms, 0, MaxTtftMs)
            ?? Gpus(h.Gpus);
    }

    /// <summary>The heartbeat with its capacity clamped to <see cref="GatewayOptions.MaxSlotsPerNode"/>.</summary>
    public static Heartbeat Clamp(Heartbeat h, GatewayOptions options)
    {
        if (h.Slots is not { } s || (s.Total <= options.MaxSlotsPerNode && s.Busy <= options.MaxSlotsPerNode)) return h;
        return h with { Slots = new HeartbeatSlots(Math.Min(s.Total, options.MaxSlotsPerNode), Math.Min(s.Busy, options.MaxSlotsPerNode)) };
    }

    private static HeartbeatProblem? Gpus(IReadOnlyList<HeartbeatGpu>? gpus)
    {
        if (gpus is null) return null;
        if (gpus.Count > MaxGpus) return new HeartbeatProblem("gpus", $"\"gpus\" lists {gpus.Count} GPUs; at most {MaxGpus} are believable");
        for (var i = 0; i < gpus.Count; i++)
        {
            var g = gpus[i];
            if (g is null) return new HeartbeatProblem($"gpus[{i}]", $"\"gpus[{i}]\" is null; expected a GPU object");
            var problem = Text($"gpus[{i}].name", g.Name, 128)
                ?? Range($"gpus[{i}].memoryTotalMiB", g.MemoryTotalMiB, 0, MaxGpuMemoryMiB)
                ?? Range($"gpus[{i}].memoryUsedMiB", g.MemoryUsedMiB, 0, MaxGpuMemoryMiB)
                ?? Range($"gpus[{i}].utilizationPercent", g.UtilizationPercent, 0, 100);
            if (problem is not null) return problem;
        }
        return null;
    }

    private static HeartbeatProblem? Text(string field, string? value, int max, bool required = false)
    {
        if (required && string.IsNullOrEmpty(value)) return new HeartbeatProblem(field, $"\"{field}\" is required");
        if (value is null) return null;
        if (value.Length > max) return new HeartbeatProblem(field, $"\"{field}\" is {value.Length} characters long; at most {max} are allowed");
        return value.Any(char.IsControl) ? new HeartbeatProblem(field, $"\"{field}\" contains control characters; send one line of text") : null;
    }

    private static HeartbeatProblem? Range(string field, long value, long min, long max) =>
        value >= min && value <= max ? null
            : new HeartbeatProblem(field, $"\"{field}\" is {value.ToString(CultureInfo.InvariantCulture)}; it must be between {min} and {max}");

    private static HeartbeatProblem? Range(string field, double value, double min, double max) =>
        double.IsFinite(value) && value >= min && value <= max ? null
            : new HeartbeatProblem(field, $"\"{field}\" is {value.ToString("R", CultureInfo.InvariantCulture)}; it must be between " +
                                          $"{min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
}
