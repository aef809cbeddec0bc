using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fleet.Policy.Topology;

/// <summary>Small readers over symbolic JSON inputs.</summary>
internal static class Json
{
    public static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static IEnumerable<JsonNode?> Items(JsonNode? node) => node as JsonArray ?? [];

    public static IEnumerable<string> Strings(JsonNode? node) => Items(node).Select(Str).Where(s => s is not null)!;

    /// <summary>Unwraps <c>{"fn::secret": x}</c>; reports whether it was wrapped.</summary>
    public static JsonNode? Unsecret(JsonNode? node, out bool secret)
    {
        secret = node is JsonObject o && o.Count == 1 && o.ContainsKey("fn::secret");
        return secret ? node!["fn::secret"] : node;
    }

    /// <summary>Every string leaf of a value (literal text and symbolic references alike).</summary>
    public static IEnumerable<string> Leaves(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Leaves(kv.Value)),
        JsonArray a => a.SelectMany(Leaves),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [],
    };
}
