namespace Fleet.Gateway.Proxy;

/// <summary>The <c>GET /v1/models</c> answer in the OpenAI shape.</summary>
public sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

/// <summary>One model: <c>{id, object: "model", created, owned_by}</c>.</summary>
public sealed record ModelEntry(string Id, string Object, long Created, [property: System.Text.Json.Serialization.JsonPropertyName("owned_by")] string OwnedBy);
