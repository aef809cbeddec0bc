using Fleet.Gateway.Credentials;

namespace Fleet.Gateway.Jwt;

/// <summary>
/// The outcome of checking a bearer JWT: the client it stands for, or why not — <see cref="IssuerUnavailable"/> when the
/// token may be good but its issuer's keys could not be had in time (503, not 401).
/// </summary>
public sealed record JwtResult(ApiKey? Client, string? Problem, bool IssuerUnavailable = false)
{
    /// <summary>A refusal with <paramref name="problem"/>, fit to show the client (no token content).</summary>
    public static JwtResult Refuse(string problem) => new(null, problem);
}
