using System.Text.Json;
using Fleet.Infra.Configuration;

namespace Fleet.Infra.AppLayer;

/// <summary>The API-keys file the gateway reads (<c>FLEET_API_KEYS_FILE</c>): names, limits and SHA-256 hashes only.</summary>
public static class GatewayFiles
{
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
                if (k.Models.Count > 0)
                {
                    w.WriteStartArray("models");
                    foreach (var m in k.Models) w.WriteStringValue(m);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
