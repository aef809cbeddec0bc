using Fleet.Gateway.Credentials;
using Fleet.Gateway.Jwt;
using Fleet.Gateway.Limits;
using Fleet.Gateway.Observability;

namespace Fleet.Gateway.Proxy;

/// <summary>
/// Checks a client's bearer credential — an API key, else a JWT from a configured issuer — and its request budget,
/// answering 401/429 (503 when a JWT's issuer cannot be reached) itself when refused.
/// </summary>
public sealed class ApiKeyAuthenticator(ApiKeyStore keys, JwtAuthenticator jwt, KeyLimiter limiter, GatewayMetrics metrics, ILogger<ApiKeyAuthenticator> logger)
{
    /// <summary>The caller's key (or the client a JWT stands for), or null after an error was written.</summary>
    public async ValueTask<ApiKey?> AuthenticateAsync(HttpContext context)
    {
        var token = SecretHash.BearerToken(context.Request.Headers.Authorization);
        var key = keys.Find(token);
        if (key is not null) return key;
        var problem = "Missing or invalid API key. Send it as 'Authorization: Bearer <key>'.";
        if (token is not null && jwt.Enabled && JwtAuthenticator.LooksLikeJwt(token))
        {
            var result = await jwt.AuthenticateAsync(token, context.RequestAborted);
            if (result.Client is not null) return result.Client;
            if (result.IssuerUnavailable)
            {
                await OpenAiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "server_error", "issuer_unavailable", result.Problem!, TimeSpan.FromSeconds(5));
                return null;
            }
            problem = $"Invalid bearer token: {result.Problem}";
        }
        await OpenAiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "invalid_request_error", "invalid_api_key", problem);
        return null;
    }

    /// <summary>The caller's key if it may send a request now, or null after a 401/429 was written.</summary>
    public async ValueTask<ApiKey?> AdmitAsync(HttpContext context)
    {
        var key = await AuthenticateAsync(context);
        if (key is null) return null;
        var decision = limiter.TryAdmit(key);
        if (decision.Allowed) return key;
        await RefuseAsync(context, key, decision);
        metrics.KeyRequests.WithLabels(key.MetricsKey, StatusCodeText(context.Response.StatusCode)).Inc(); // admitted requests are counted when they end
        return null;
    }

    /// <summary>
    /// Answers 429 for the limit <paramref name="decision"/> names, with <c>Retry-After</c>; 503 <c>too_many_clients</c> when
    /// the client could not be tracked (<c>FLEET_MAX_CLIENTS</c>).
    /// </summary>
    public async Task RefuseAsync(HttpContext context, ApiKey key, LimitDecision decision)
    {
        var seconds = (int)Math.Ceiling(decision.RetryAfter.TotalSeconds);
        if (decision.Limit == LimitDecision.ClientsLimit)
        {
            metrics.ClientsRefused.Inc();
            GatewayLog.TooManyClients(logger, key.MetricsKey, limiter.TrackedClients);
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "server_error", "too_many_clients",
                $"The gateway is tracking as many clients as it may (FLEET_MAX_CLIENTS). Please try again in {seconds}s.", decision.RetryAfter);
            return;
        }
        metrics.KeyRateLimited.WithLabels(key.MetricsKey, decision.Limit!).Inc();
        GatewayLog.RateLimited(logger, key.Name, decision.Limit!, seconds);
        var what = decision.Limit == "tokens" ? $"tokens per minute (limit {key.TokensPerMinute})" : $"requests per minute (limit {key.RequestsPerMinute})";
        await OpenAiErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, decision.Limit!, "rate_limit_exceeded",
            $"Rate limit reached for key '{key.Name}' on {what}. Please try again in {seconds}s.", decision.RetryAfter);
    }

    private static string StatusCodeText(int status) => status == StatusCodes.Status503ServiceUnavailable ? "503" : "429";
}
