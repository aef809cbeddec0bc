using System.Text.Json.Nodes;

namespace Fleet.Infra.Configuration;

/// <summary>
/// <c>fleet:jwtIssuers</c>: identity providers whose bearer JWTs the gateway accepts besides API keys, in the shape of
/// the gateway's issuers file (gateway/README.md, "JWT clients"). Issuers, audiences and JWKS addresses are public, so
/// the key is plain config.
/// </summary>
public static class JwtIssuersReader
{
    private const string Example = "'[{\"issuer\":\"https://id.example.com/realms/fleet\",\"audience\":\"fleet-gateway\",\"requestsPerMinute\":60,\"tokensPerMinute\":100000}]'";

    public static IReadOnlyList<JwtIssuerConfig>? Read(ConfigFieldReader f, JsonNode? node, string ns)
    {
        var path = ns + "jwtIssuers";
        if (node is null) return [];
        var list = f.List(node, path, Example, required: true);
        if (list is null) return null;
        var issuers = new List<JwtIssuerConfig>();
        var errors = f.Bag.ErrorCount;
        for (var i = 0; i < list.Count; i++)
        {
            var p = $"{path}[{i}]";
            var obj = f.Object(list[i], p, Example, required: true);
            if (obj is null) continue;
            f.RejectUnknownKeys(obj, p, "issuer", "audience", "jwksUri", "requestsPerMinute", "tokensPerMinute", "models");
            var issuer = Url(f, obj["issuer"], p + ".issuer", "https://id.example.com/realms/fleet", required: true);
            var audience = f.String(obj["audience"], p + ".audience", "fleet-gateway", required: true);
            var jwks = Url(f, obj["jwksUri"], p + ".jwksUri", "https://id.example.com/realms/fleet/protocol/openid-connect/certs", required: false);
            var rpm = f.Int(obj["requestsPerMinute"], p + ".requestsPerMinute", 1, 1_000_000, 60, required: true);
            var tpm = f.Int(obj["tokensPerMinute"], p + ".tokensPerMinute", 1, 100_000_000, 100_000, required: true);
            var models = f.StringList(obj["models"], p + ".models", "'[\"qwen2.5-0.5b\"]'", required: false) ?? [];
            if (issuer is not null && issuers.Any(x => x.Issuer == issuer))
                f.Bag.Error(ConfigCodes.Duplicate, p + ".issuer", $"{p}.issuer \"{ConfigFieldReader.Printable(issuer)}\" is listed twice; one entry per issuer", ConfigFix.Remove(p));
            else if (issuer is not null && audience is not null && rpm is not null && tpm is not null)
                issuers.Add(new JwtIssuerConfig(issuer, audience, jwks, rpm.Value, tpm.Value, models));
        }
        return f.Bag.ErrorCount > errors ? null : issuers;
    }

    /// <summary>https, as the gateway requires (plain http only to a loopback address, which a fleet never has).</summary>
    private static string? Url(ConfigFieldReader f, JsonNode? node, string path, string example, bool required)
    {
        var text = f.String(node, path, example, required);
        if (text is null) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || text.Any(char.IsWhiteSpace))
        {
            f.Bag.Error(ConfigCodes.BadFormat, path, $"{path} \"{ConfigFieldReader.Printable(text)}\" must be an https:// URL", ConfigFix.Set(path, example));
            return null;
        }
        return text;
    }
}
