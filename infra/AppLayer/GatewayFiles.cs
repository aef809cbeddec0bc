using System.Text.Json;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Model;

namespace Fleet.Infra.AppLayer;

/// <summary>The files the gateway reads, written by the stack: nodes (credential hashes) and API keys (hashes and limits).</summary>
public static class GatewayFiles
{
    /// <summary><c>FLEET_NODES_FILE</c>: each node's name, pool and the SHA-256 of its credential (computed by the engine).</summary>
    public static PMap NodesDocument(IReadOnlyList<WorkerNode> nodes) => new PMapBuilder
    {
        { "nodes", new PList(nodes.Select(n => (PValue)new PMapBuilder
            {
                { "node", n.Host },
                { "pool", n.Pool.Name },
                { "sha256", n.CredentialSha256 },
            }.Build()).ToArray()) },
    }.Build();

    /// <summary>Deterministic JSON: keys in config order, no whitespace variance.</summary>
    public static string ApiKeysJson(ApiKeysConfig keys)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var k in keys.Keys)
            {
                w.WriteStartObject();
                w.WriteString("name", k.Name);
                w.WriteString("sha256", k.Sha256);
                w.WriteNumber("requestsPerMinute", k.RequestsPerMinute);
                w.WriteNumber("tokensPerMinute", k.TokensPerMinute);
                WriteModels(w, k.Models);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary><c>FLEET_JWT_ISSUERS_FILE</c>: the issuers in config order, in the gateway's camelCase shape.</summary>
    public static string JwtIssuersJson(IReadOnlyList<JwtIssuerConfig> issuers)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteStartArray("issuers");
            foreach (var i in issuers)
            {
                w.WriteStartObject();
                w.WriteString("issuer", i.Issuer);
                w.WriteString("audience", i.Audience);
                if (i.JwksUri is not null) w.WriteString("jwksUri", i.JwksUri);
                w.WriteNumber("requestsPerMinute", i.RequestsPerMinute);
                w.WriteNumber("tokensPerMinute", i.TokensPerMinute);
                WriteModels(w, i.Models);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>A model allow-list; left out when empty (the gateway reads absent or empty as every model).</summary>
    private static void WriteModels(Utf8JsonWriter w, IReadOnlyList<string> models)
    {
        if (models.Count == 0) return;
        w.WriteStartArray("models");
        foreach (var m in models) w.WriteStringValue(m);
        w.WriteEndArray();
    }
}
