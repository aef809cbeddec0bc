using System.Globalization;
using System.Security.Claims;
using Fleet.Gateway.Configuration;
using Fleet.Gateway.Credentials;
using Fleet.Gateway.Observability;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fleet.Gateway.Jwt;

/// <summary>
/// Checks a bearer JWT from a configured issuer with IdentityModel: the issuer is chosen by the token's exact <c>iss</c>
/// among the configured ones (unknown: refused without any fetch), the signature against that issuer's JWKS (asymmetric
/// algorithms only; <c>alg: none</c> refused), <c>aud</c>, <c>exp</c> (required) and <c>nbf</c> with
/// <see cref="ClockSkew"/> on the system clock (like the key fetch timeouts: wall-clock matters). The client is named by <c>sub</c>; limits and models come from the claims in
/// <see cref="JwtClaimNames"/>, else from the issuer's entry. Waiting for keys is bounded by <c>FLEET_JWKS_TIMEOUT_SECONDS</c>.
/// </summary>
public sealed class JwtAuthenticator(JwtIssuerStore issuers, GatewayOptions options, ILogger<JwtAuthenticator> logger)
{
    /// <summary>Longest token looked at; a longer one is refused before it is decoded.</summary>
    public const int MaxTokenLength = 8192;

    /// <summary>Tolerance on <c>exp</c> and <c>nbf</c> for clocks that differ between issuer and gateway.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private const int MaxSubjectLength = 256;

    private static readonly string[] Algorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    private readonly JsonWebTokenHandler _handler = new() { MaximumTokenSizeInBytes = MaxTokenLength, MapInboundClaims = false };

    /// <summary>Whether JWT clients are configured.</summary>
    public bool Enabled => issuers.Enabled;

    /// <summary>Whether <paramref name="token"/> has the shape of a signed JWT (three dot-separated parts).</summary>
    public static bool LooksLikeJwt(string token) => token.AsSpan().Count('.') == 2;

    /// <summary>Checks <paramref name="token"/>; never throws for a bad token.</summary>
    public async Task<JwtResult> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > MaxTokenLength) return Refused(null, $"The token is longer than {MaxTokenLength} characters.");
        JsonWebToken unverified;
        try { unverified = new JsonWebToken(token); }
        catch (Exception e) when (e is ArgumentException or FormatException or System.Text.Json.JsonException)
        {
            return Refused(null, "The bearer token is neither an API key nor a well-formed JWT.");
        }
        // Only to choose among the configured issuers: nothing from the token is trusted or fetched before the signature holds.
        var issuer = issuers.Find(unverified.Issuer);
        if (issuer is null) return Refused(null, "The token's issuer is not trusted by this gateway.");

        if (!await KeysReadyAsync(issuer, cancellationToken)) return Unavailable(issuer);
        TokenValidationResult result;
        try
        {
            // Validation may ask the key cache for a refresh (unknown kid); it is bounded like the first fetch.
            result = await _handler.ValidateTokenAsync(token, Parameters(issuer)).WaitAsync(options.JwksTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) { return Unavailable(issuer); }
        if (!result.IsValid) return Refused(issuer, Reason(result.Exception));
        return Client(issuer, (JsonWebToken)result.SecurityToken);
    }

    private JwtResult Unavailable(TrustedIssuer issuer)
    {
        GatewayLog.IssuerUnavailable(logger, issuer.Config.Issuer, options.JwksTimeout.TotalSeconds);
        return new JwtResult(null, $"The signing keys of the token's issuer could not be fetched within {options.JwksTimeout.TotalSeconds} s. Please retry.",
            IssuerUnavailable: true);
    }

    // The first fetch (or a due one) is shared by every request for the issuer; each waits at most the timeout, so an issuer
    // that hangs delays only its own tokens, and only by that much.
    private async Task<bool> KeysReadyAsync(TrustedIssuer issuer, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(options.JwksTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await issuer.Keys.GetConfigurationAsync(linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested) { return false; }
        catch (InvalidOperationException) { return false; } // IdentityModel: the document could not be had (it retries later)
    }

    private TokenValidationParameters Parameters(TrustedIssuer issuer) => new()
    {
        ValidIssuer = issuer.Config.Issuer,
        ValidAudience = issuer.Config.Audience,
        ConfigurationManager = issuer.Keys,
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        RequireAudience = true,
        ValidAlgorithms = Algorithms,
        ClockSkew = ClockSkew,
    };

    private static string Reason(Exception? e) => e switch
    {
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet (nbf).",
        SecurityTokenInvalidLifetimeException => "The token's lifetime is invalid (exp not after nbf).",
        SecurityTokenNoExpirationException => "The token has no expiry (exp); the gateway accepts only tokens that expire.",
        SecurityTokenInvalidAudienceException => "The token is not meant for this gateway (aud).",
        SecurityTokenInvalidIssuerException => "The token's issuer is not trusted by this gateway.",
        SecurityTokenInvalidAlgorithmException => "The token's signing algorithm is not accepted (RS*, PS* or ES* only).",
        SecurityTokenSignatureKeyNotFoundException => "The token is signed with a key its issuer does not publish.",
        SecurityTokenInvalidSignatureException => "The token's signature is invalid.",
        _ => "The token is invalid.",
    };

    private JwtResult Client(TrustedIssuer issuer, JsonWebToken token)
    {
        var subject = token.Subject;
        if (string.IsNullOrEmpty(subject) || subject.Length > MaxSubjectLength || subject.Any(char.IsControl))
            return Refused(issuer, $"The token needs a \"sub\" claim of at most {MaxSubjectLength} characters, with no control characters.");
        var config = issuer.Config;
        if (!PositiveClaim(token, JwtClaimNames.RequestsPerMinute, config.RequestsPerMinute, out var rpm))
            return Refused(issuer, $"The claim \"{JwtClaimNames.RequestsPerMinute}\" must be a positive integer.");
        if (!PositiveClaim(token, JwtClaimNames.TokensPerMinute, config.TokensPerMinute, out var tpm))
            return Refused(issuer, $"The claim \"{JwtClaimNames.TokensPerMinute}\" must be a positive integer.");
        if (!ModelsClaim(token, config.Models, out var models))
            return Refused(issuer, $"The claim \"{JwtClaimNames.Models}\" must be an array of model ids or one space-separated string.");
        // Limits, metrics and logs are per client: the issuer and the subject, never anything secret.
        return new JwtResult(new ApiKey($"jwt:{config.Issuer}#{subject}", [], rpm, tpm, models, config.Issuer), null);
    }

    private static bool PositiveClaim(JsonWebToken token, string name, int fallback, out int value)
    {
        value = fallback;
        if (!token.TryGetClaim(name, out var claim)) return true;
        return claim.ValueType is ClaimValueTypes.Integer or ClaimValueTypes.Integer32 or ClaimValueTypes.Integer64
            && int.TryParse(claim.Value, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
    }

    // An array claim arrives as one claim per element, a string as one claim: both are split on spaces (OAuth scope style).
    private static bool ModelsClaim(JsonWebToken token, IReadOnlyList<string> fallback, out IReadOnlyList<string> models)
    {
        models = fallback;
        var values = token.Claims.Where(c => c.Type == JwtClaimNames.Models).ToList();
        if (values.Count == 0) return true;
        if (values.Any(c => c.ValueType != ClaimValueTypes.String)) return false;
        models = values.SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return models.Count > 0;
    }

    private JwtResult Refused(TrustedIssuer? issuer, string problem)
    {
        GatewayLog.JwtRefused(logger, issuer?.Config.Issuer ?? "(not configured)", problem);
        return JwtResult.Refuse(problem);
    }
}
