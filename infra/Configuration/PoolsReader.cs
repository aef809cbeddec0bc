using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fleet.Infra.Catalog;

namespace Fleet.Infra.Configuration;

/// <summary><c>fleet:pools</c>: each pool gives either <c>count</c> (ids 1..N) or <c>nodes</c> (explicit stable ids).</summary>
public static partial class PoolsReader
{
    public const int MaxNodesPerPool = 1000;

    private const string Example = "'[{\"name\":\"cpu\",\"size\":\"s-4vcpu-8gb\",\"count\":2}]'";

    public static IReadOnlyList<PoolConfig>? Read(ConfigFieldReader f, JsonNode? node, string ns, CloudCatalog? catalog)
    {
        var list = f.List(node, ns + "pools", Example, required: true);
        if (list is null) return null;
        if (list.Count == 0)
        {
            f.Bag.Error(ConfigCodes.Missing, ns + "pools", $"{ns}pools is empty; a fleet needs at least one pool of workers", ConfigFix.Set(ns + "pools", Example));
            return null;
        }
        var pools = new List<PoolConfig>();
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            var pool = ReadPool(f, list[i], $"{ns}pools[{i}]", catalog);
            if (pool is null) { ok = false; continue; }
            if (pools.Any(p => p.Name == pool.Name))
            {
                f.Bag.Error(ConfigCodes.Duplicate, $"{ns}pools[{i}].name", $"pool name \"{pool.Name}\" is used twice; names must be unique", ConfigFix.Set($"{ns}pools[{i}].name", pool.Name + "-2"));
                ok = false;
                continue;
            }
            pools.Add(pool);
        }
        return ok ? pools : null;
    }

    private static PoolConfig? ReadPool(ConfigFieldReader f, JsonNode? node, string path, CloudCatalog? catalog)
    {
        var obj = f.Object(node, path, "'{\"name\":\"cpu\",\"size\":\"s-4vcpu-8gb\",\"count\":2}'", required: true);
        if (obj is null) return null;
        var errors = f.Bag.ErrorCount;
        f.RejectUnknownKeys(obj, path, "name", "size", "gpu", "count", "nodes", "min", "max", "autoscale", "gpuLayers", "model");

        var name = f.String(obj["name"], path + ".name", "cpu", required: true);
        if (name is not null && !PoolName().IsMatch(name))
            f.Bag.Error(ConfigCodes.BadFormat, path + ".name", $"{path}.name \"{ConfigFieldReader.Printable(name)}\" must be 1–16 lowercase letters, digits or '-', starting with a letter (it becomes part of host names and tags)", ConfigFix.Set(path + ".name", "cpu"));
        var gpu = f.Bool(obj["gpu"], path + ".gpu") ?? false;
        var size = f.String(obj["size"], path + ".size", catalog?.Sizes.FirstOrDefault(z => z.IsGpu == gpu)?.Slug ?? "s-4vcpu-8gb", required: true);
        if (size is not null && catalog is not null) SizeRules.Check(f.Bag, catalog, size, path + ".size", gpu);
        var gpuLayers = f.Int(obj["gpuLayers"], path + ".gpuLayers", 0, 999, 999);
        if (gpuLayers > 0 && !gpu)
            f.Bag.Error(ConfigCodes.Conflict, path + ".gpuLayers", $"{path}.gpuLayers is {gpuLayers} but the pool has no GPU; layers can only be offloaded on a GPU pool", ConfigFix.Remove(path + ".gpuLayers"));

        IReadOnlyList<string>? ids = null;
        var listsNodes = obj.ContainsKey("nodes");
        if (obj.ContainsKey("count") && listsNodes)
            f.Bag.Error(ConfigCodes.Conflict, path, $"{path} gives both count and nodes; give count for a fixed pool or nodes (stable ids) for a pool the control service scales", ConfigFix.Remove(path + ".count"));
        else if (listsNodes) ids = ReadNodeIds(f, obj["nodes"], path + ".nodes");
        else if (obj.ContainsKey("count"))
        {
            var count = f.Int(obj["count"], path + ".count", 0, MaxNodesPerPool, 2);
            if (count is not null) ids = Enumerable.Range(1, count.Value).Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        else f.Bag.Error(ConfigCodes.Missing, path + ".count", $"{path} needs count (a number of nodes) or nodes (a list of node ids)", ConfigFix.Set(path + ".count", "2"));

        var n = ids?.Count ?? 0;
        var min = f.Int(obj["min"], path + ".min", 0, MaxNodesPerPool, 0) ?? (listsNodes ? 0 : n);
        var max = f.Int(obj["max"], path + ".max", 0, MaxNodesPerPool, Math.Max(n, 1)) ?? Math.Max(n, listsNodes ? Math.Max(n, 1) : n);
        var autoscale = f.Bool(obj["autoscale"], path + ".autoscale") ?? false;
        if (min > max)
            f.Bag.Error(ConfigCodes.OutOfRange, path + ".min", $"{path}.min ({min}) is greater than {path}.max ({max})", ConfigFix.Set(path + ".min", max.ToString(CultureInfo.InvariantCulture)));
        else if (ids is not null && (n < min || n > max))
            f.Bag.Error(ConfigCodes.OutOfRange, path, $"{path} has {n} nodes, outside its bounds min {min} / max {max}", ConfigFix.Set(path + ".max", Math.Max(n, max).ToString(CultureInfo.InvariantCulture)));
        if (autoscale && !listsNodes)
            f.Bag.Error(ConfigCodes.Conflict, path + ".autoscale", $"{path}.autoscale needs the pool to list its node ids (nodes: [...]) so the control service can add and remove exact nodes", ConfigFix.Set(path + ".nodes", "'[\"1\",\"2\"]'"));

        var model = obj["model"] is null ? null : f.String(obj["model"], path + ".model", "qwen2.5-0.5b", required: true);
        if (f.Bag.ErrorCount > errors || name is null || size is null || ids is null) return null;
        return new PoolConfig(name, size, gpu, ids, listsNodes, min, max, autoscale, gpuLayers) { Model = model };
    }

    private static IReadOnlyList<string>? ReadNodeIds(ConfigFieldReader f, JsonNode? node, string path)
    {
        var list = f.List(node, path, "'[\"1\",\"2\"]'", required: true);
        if (list is null) return null;
        var ids = new List<string>();
        var ok = true;
        for (var i = 0; i < list.Count; i++)
        {
            var item = list[i];
            string? id = item is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture)
                : f.String(item, $"{path}[{i}]", "a1", required: true);
            if (id is null) { ok = false; continue; }
            if (!NodeId().IsMatch(id))
            {
                f.Bag.Error(ConfigCodes.BadFormat, $"{path}[{i}]", $"{path}[{i}] \"{ConfigFieldReader.Printable(id)}\" must be 1–16 lowercase letters, digits or '-' (not at either end)", ConfigFix.Set($"{path}[{i}]", "a1"));
                ok = false;
            }
            else if (ids.Contains(id))
            {
                f.Bag.Error(ConfigCodes.Duplicate, $"{path}[{i}]", $"node id \"{id}\" appears twice in {path}; each id is one server", ConfigFix.Remove($"{path}[{i}]"));
                ok = false;
            }
            else ids.Add(id);
        }
        return ok ? ids : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,15}$")]
    private static partial Regex PoolName();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$")]
    private static partial Regex NodeId();
}
