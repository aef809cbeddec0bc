using System.Text.Json.Serialization;

namespace Fleet.Agent.Heartbeats;

/// <summary>Source-generated JSON for the heartbeat contract: camelCase, nulls written (the contract lists every field).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(HeartbeatPayload))]
[JsonSerializable(typeof(HeartbeatReply))]
internal sealed partial class HeartbeatJsonContext : JsonSerializerContext;
