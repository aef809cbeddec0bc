namespace Fleet.Gateway.Proxy;

/// <summary>One model: <c>{id, object: "model", created, owned_by}</c>.</summary>
public sealed record ModelEntry(string Id, string Object, long Created, [property: System.Text.Json.Serialization.JsonPropertyName("owned_by")] string OwnedBy);
