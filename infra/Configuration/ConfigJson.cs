using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fleet.Infra.Configuration;

/// <summary>
/// Parses JSON found in config (<c>PULUMI_CONFIG</c>, JSON strings stored by <c>pulumi config set</c>). A duplicate
/// property is a <see cref="JsonException"/> here, not an <see cref="ArgumentException"/> when the object is first read.
/// </summary>
public static class ConfigJson
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    public static JsonNode? Parse(string text) => JsonNode.Parse(text, documentOptions: Strict);
}
