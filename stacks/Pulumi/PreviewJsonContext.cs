using System.Text.Json.Serialization;

namespace Fleet.Stacks.Pulumi;

/// <summary>Source-generated reader of <c>pulumi preview --json</c> (camelCase names as the CLI's Go tags; unknown fields skipped).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PreviewDigest))]
public sealed partial class PreviewJsonContext : JsonSerializerContext;
