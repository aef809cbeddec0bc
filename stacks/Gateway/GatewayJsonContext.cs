using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fleet.Stacks.Gateway;

/// <summary>
/// Source-generated JSON for the gateway admin documents (web defaults: camelCase, case-insensitive). The records
/// mirror gateway/Admin/*.cs with only the fields the service reads; the contract test serialises the gateway's own
/// records and parses them with this context.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(GatewayLoad))]
[JsonSerializable(typeof(GatewayNodes))]
[JsonSerializable(typeof(GatewayDrainStatus))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
