using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fleet.Infra.Configuration;

/// <summary>
/// Reads <c>PULUMI_CONFIG</c>: one flat JSON object whose values are all strings; objects and lists arrive
/// JSON-encoded inside the string (docs/engine-semantics.md, "The compiler: environment and stderr").
/// </summary>
public static class EngineConfigSource
{
    /// <summary>Parses the variable's text. Throws <see cref="ConfigSourceException"/> when it is not a JSON object.</summary>
    public static StackConfig Parse(string pulumiConfigJson, string stack, string project)
    {
        JsonObject root;
        try
        {
            root = ConfigJson.Parse(pulumiConfigJson) as JsonObject
                ?? throw new ConfigSourceException("PULUMI_CONFIG is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new ConfigSourceException($"PULUMI_CONFIG is not valid JSON: {e.Message}");
        }

        var values = new Dictionary<string, RawConfigValue>(StringComparer.Ordinal);
        foreach (var (key, node) in root)
            values[key.Contains(':') ? key : $"{project}:{key}"] = new RawConfigValue(Decode(node), IsSecret: false);
        return new StackConfig(stack, project, values, ConfigOrigin.Engine);
    }

    private static JsonNode? Decode(JsonNode? node)
    {
        if (node is not JsonValue value || !value.TryGetValue<string>(out var text)) return node?.DeepClone();
        var trimmed = text.TrimStart();
        if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
        {
            try { return ConfigJson.Parse(text); }
            catch (JsonException) { /* not JSON after all: keep the string, the reader reports the type */ }
        }
        return JsonValue.Create(text);
    }
}
