using System.Text.Json;

namespace Fleet.Gateway.Jwt;

/// <summary>Parses <c>FLEET_JWT_ISSUERS_FILE</c>; malformed entries are skipped and each is described with its index and the fix.</summary>
public static class JwtIssuersParser
{
    private const string Shape = "{\"issuers\":[{\"issuer\",\"audience\",\"jwksUri\"?,\"requestsPerMinute\",\"tokensPerMinute\",\"models\"?}]}";

    /// <summary>The issuers; null when the file as a whole is unusable.</summary>
    public static IReadOnlyList<JwtIssuer>? Parse(byte[] json, List<string> errors)
    {
        JwtIssuersFile? file;
        try { file = JsonSerializer.Deserialize(json, GatewayJsonContext.Default.JwtIssuersFile); }
        catch (JsonException e) { errors.Add($"JWT issuers file is not valid JSON ({e.Message}); expected {Shape}"); return null; }
        if (file?.Issuers is null) { errors.Add($"JWT issuers file has no \"issuers\" array; expected {Shape}"); return null; }

        var issuers = new List<JwtIssuer>();
        for (var i = 0; i < file.Issuers.Count; i++)
        {
            var e = file.Issuers[i];
            if (e is null) { errors.Add($"issuers[{i}] is null; give an issuer object"); continue; }
            var where = $"issuers[{i}] ({e.Issuer ?? "no issuer"})";
            var problem = Check(e, out var jwksUri);
            if (problem is null && issuers.Any(x => x.Issuer == e.Issuer)) problem = "issuer listed twice; keep one entry per issuer";
            if (problem is not null) errors.Add($"{where}: {problem}");
            else issuers.Add(new JwtIssuer(e.Issuer!, e.Audience!, jwksUri, e.RequestsPerMinute, e.TokensPerMinute, e.Models ?? []));
        }
        return issuers;
    }

    private static string? Check(JwtIssuersFileEntry e, out Uri? jwksUri)
    {
        jwksUri = null;
        if (string.IsNullOrWhiteSpace(e.Issuer) || !Uri.TryCreate(e.Issuer, UriKind.Absolute, out var issuer))
            return "\"issuer\" must be the absolute URL tokens carry in \"iss\", e.g. https://id.example.com/realms/fleet";
        if (!SecureOrLoopback(issuer))
            return "\"issuer\" must be an https:// URL (plain http only to a loopback address)";
        if (string.IsNullOrWhiteSpace(e.Audience))
            return "\"audience\" is empty; set it to the \"aud\" the issuer puts in tokens for the gateway";
        if (e.JwksUri is not null && (!Uri.TryCreate(e.JwksUri, UriKind.Absolute, out jwksUri) || !SecureOrLoopback(jwksUri)))
            return "\"jwksUri\" must be an https:// URL (plain http only to a loopback address), or be left out to use the issuer's discovery document";
        if (e.RequestsPerMinute <= 0 || e.TokensPerMinute <= 0)
            return "requestsPerMinute and tokensPerMinute must be positive (the limits of clients whose token sets none)";
        if (e.Models?.Any(string.IsNullOrWhiteSpace) == true)
            return "\"models\" has an empty id; list model ids, or leave it out for every model";
        return null;
    }

    private static bool SecureOrLoopback(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && JwtIssuerStore.IsLoopback(uri));
}
