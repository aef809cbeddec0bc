namespace Fleet.Gateway.Jwt;

/// <summary>The claims the gateway reads from a client's token beyond the registered ones (gateway/README.md, "JWT clients").</summary>
public static class JwtClaimNames
{
    /// <summary>Requests per minute for this client (a positive integer); the issuer's <c>requestsPerMinute</c> when absent.</summary>
    public const string RequestsPerMinute = "fleet_rpm";

    /// <summary>Tokens per minute for this client (a positive integer); the issuer's <c>tokensPerMinute</c> when absent.</summary>
    public const string TokensPerMinute = "fleet_tpm";

    /// <summary>The models this client may use: an array of ids, or one space-separated string; the issuer's <c>models</c> when absent.</summary>
    public const string Models = "fleet_models";
}
