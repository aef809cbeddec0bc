using System.Globalization;
using Fleet.Infra.Tests.Evaluation;

namespace Fleet.Infra.Tests.Lifecycle;

/// <summary>
/// What each provider stores in state after create (it ends every create with a read) — the "olds" the next up diffs
/// against (docs/engine-semantics.md, read-back rows). Only the properties Fleet sets are modelled, each from its source.
/// </summary>
public static class ProviderReadBack
{
    public const string ResolvedDigest = "@sha256:" + "d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1d1";

    public static Dictionary<string, object?> Of(string type, IReadOnlyDictionary<string, object?> inputs)
    {
        var state = (Dictionary<string, object?>)Copy(inputs)!;
        switch (type)
        {
            case "docker:index/service:Service": Service(state); break;
            case "docker:index/network:Network":
                // moby overlay allocator adds the VNI it chose (ovmanager NetworkAllocate).
                if (state.TryGetValue("options", out var o) && o is Dictionary<string, object?> options)
                    options["com.docker.network.driver.overlay.vxlanid_list"] = "4097";
                break;
            case "hcloud:index/server:Server":
                // Read writes ip, mac_address and alias_ips for every attachment (terraform-provider-hcloud server/resource.go).
                if (state.TryGetValue("networks", out var n) && n is List<object?> nets)
                    foreach (var net in nets.Cast<Dictionary<string, object?>>())
                    {
                        net.TryAdd("aliasIps", new List<object?>());
                        if (!net.TryGetValue("ip", out var ip) || ip is null) net["ip"] = "10.210.0.99";
                    }
                break;
        }
        return state;
    }

    private static void Service(Dictionary<string, object?> state)
    {
        var task = (Dictionary<string, object?>)state["taskSpec"]!;
        var container = (Dictionary<string, object?>)task["containerSpec"]!;
        // The client resolves a tag to a digest at create (moby client/service_create.go) and fills platforms.
        if (container["image"] is string image && !image.Contains("@sha256:", StringComparison.Ordinal)) container["image"] = image + ResolvedDigest;
        if (task.TryGetValue("placement", out var p) && p is Dictionary<string, object?> placement)
            placement["platforms"] = new List<object?> { new Dictionary<string, object?> { ["architecture"] = "amd64", ["os"] = "linux" } };
        // shortDur (terraform-provider-docker resource_docker_service_structures.go).
        if (container.TryGetValue("stopGracePeriod", out var g) && g is string grace) container["stopGracePeriod"] = ShortDuration(grace);
        // Networks are read back as the id Docker resolved the target to (flattenTaskNetworksAdvanced; moby populateNetworkID).
        if (task.TryGetValue("networksAdvanceds", out var nw) && nw is List<object?> networks)
            task["networksAdvanceds"] = networks.Cast<Dictionary<string, object?>>()
                .Select(e => (object?)new Dictionary<string, object?> { ["id"] = e.TryGetValue("id", out var id) ? id : Resolve((string)e["name"]!) }).ToList();
        // The provider always sends window and maxAttempts; Docker returns window "0s" (createRestartPolicy).
        if (task.TryGetValue("restartPolicy", out var r) && r is Dictionary<string, object?> restart)
        {
            restart["window"] = restart.TryGetValue("window", out var w) && w is string ws ? ShortDuration(ws) : "0s";
            if (restart.TryGetValue("delay", out var d) && d is string ds) restart["delay"] = ShortDuration(ds);
        }
    }

    private static string Resolve(string nameOrId) => nameOrId == "host" ? TestMocks.SwarmHostNetworkId : nameOrId;

    /// <summary>Go's time.Duration String with trailing zero units trimmed, as shortDur does ("60s" → "1m").</summary>
    public static string ShortDuration(string text)
    {
        var total = TimeSpan.Zero;
        var number = "";
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsAsciiDigit(text[i]) || text[i] == '.') { number += text[i]; continue; }
            var unit = text[i] == 'm' && i + 1 < text.Length && text[i + 1] == 's' ? "ms" : text[i].ToString();
            if (unit == "ms") i++;
            var v = double.Parse(number, CultureInfo.InvariantCulture);
            total += unit switch { "h" => TimeSpan.FromHours(v), "m" => TimeSpan.FromMinutes(v), "s" => TimeSpan.FromSeconds(v), "ms" => TimeSpan.FromMilliseconds(v), _ => throw new FormatException(text) };
            number = "";
        }
        if (total == TimeSpan.Zero) return "0s";
        var s = (total.Hours + total.Days * 24 > 0 ? $"{total.Hours + total.Days * 24}h" : "") + (total.Minutes > 0 || total.Hours > 0 ? $"{total.Minutes}m" : "") + $"{total.Seconds}s";
        if (total.TotalSeconds < 1) return $"{total.Milliseconds}ms";
        if (s.EndsWith("m0s", StringComparison.Ordinal)) s = s[..^2];
        if (s.EndsWith("h0m", StringComparison.Ordinal)) s = s[..^2];
        return s;
    }

    public static object? Copy(object? value) => value switch
    {
        Secret s => new Secret(Copy(s.Value)),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Copy(kv.Value), StringComparer.Ordinal),
        List<object?> list => list.Select(Copy).ToList(),
        _ => value,
    };
}
