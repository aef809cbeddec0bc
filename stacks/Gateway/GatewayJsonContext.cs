using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Stacks.Gateway;

/// <summary>Source-generated JSON for the gateway admin documents (web defaults: camelCase, case-insensitive).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GatewayLoad))]
[JsonSerializable(typeof(GatewayNodes))]
[JsonSerializable(typeof(GatewayDrainStatus))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
