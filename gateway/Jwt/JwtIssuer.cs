namespace Fleet.Gateway.Jwt;

/// <summary>
/// A trusted issuer as the gateway holds it: the exact <c>iss</c> and <c>aud</c> its tokens must carry, where its
/// signing keys are (a JWKS URI, or the issuer's discovery document when null), and the limits and model allow-list its
/// clients get when their token carries none of its own (empty list: every model).
/// </summary>
public sealed record JwtIssuer(string Issuer, string Audience, Uri? JwksUri, int RequestsPerMinute, int TokensPerMinute, IReadOnlyList<string> Models)
{
    /// <summary>Where the keys come from: the JWKS URI, or the discovery document's address.</summary>
    public Uri MetadataAddress => JwksUri ?? new Uri(Issuer.TrimEnd('/') + "/.well-known/openid-configuration");
}
