namespace Fleet.Gateway.Jwt;

/// <summary>
/// One trusted issuer: <c>{issuer, audience, jwksUri?, requestsPerMinute, tokensPerMinute, models?}</c>. Without
/// <c>jwksUri</c> the keys are found through <c>&lt;issuer&gt;/.well-known/openid-configuration</c>.
/// </summary>
public sealed record JwtIssuersFileEntry(
    string? Issuer, string? Audience, string? JwksUri, int RequestsPerMinute, int TokensPerMinute, IReadOnlyList<string>? Models);
