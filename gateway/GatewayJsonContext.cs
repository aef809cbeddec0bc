using System.Text.Json;
using System.Text.Json.Serialization;
using Fleet.Gateway.Admin;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Proxy;
using Fleet.Gateway.Registry;

namespace Fleet.Gateway;

/// <summary>Source-generated JSON for every document the gateway reads or writes (camelCase, AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Heartbeat))]
[JsonSerializable(typeof(HeartbeatReply))]
[JsonSerializable(typeof(ApiKeysFile))]
[JsonSerializable(typeof(NodesFile))]
[JsonSerializable(typeof(Jwt.JwtIssuersFile))]
[JsonSerializable(typeof(OpenAiError))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelEntry))]
[JsonSerializable(typeof(FleetLoad))]
[JsonSerializable(typeof(NodeList))]
[JsonSerializable(typeof(NodeView))]
[JsonSerializable(typeof(DrainStatus))]
[JsonSerializable(typeof(Hosting.ReadyStatus))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
