using Fleet.Gateway.Credentials;
using Fleet.Gateway.Limits;
using Fleet.Gateway.Observability;

namespace Fleet.Gateway.Proxy;

/// <summary>Checks a client's bearer key and its request budget, answering 401/429 itself when refused.</summary>
public sealed class ApiKeyAuthenticator(ApiKeyStore keys, KeyLimiter limiter, GatewayMetrics metrics, ILogger<ApiKeyAuthenticator> logger)
{
    /// <summary>The caller's key, or null after a 401 was written.</summary>
    public async ValueTask<ApiKey?> AuthenticateAsync(HttpContext context)
    {
        var key = keys.Find(SecretHash.BearerToken(context.Request.Headers.Authorization));
        if (key is not null) return key;
        await OpenAiErrors.WriteAsync(context, StatusCodes.Status401Unauthorized, "invalid_request_error", "invalid_api_key",
            "Missing or invalid API key. Send it as 'Authorization: Bearer <key>'.");
        return null;
    }

    /// <summary>The caller's key if it may send a request now, or null after a 401/429 was written.</summary>
    public async ValueTask<ApiKey?> AdmitAsync(HttpContext context)
    {
        var key = await AuthenticateAsync(context);
        if (key is null) return null;
        var decision = limiter.TryAdmit(key);
        if (decision.Allowed) return key;
        metrics.KeyRequests.WithLabels(key.Name, "429").Inc(); // admitted requests are counted when they end
        await RefuseAsync(context, key, decision);
        return null;
    }

    /// <summary>Answers 429 for the limit <paramref name="decision"/> names, with <c>Retry-After</c>.</summary>
    public async Task RefuseAsync(HttpContext context, ApiKey key, LimitDecision decision)
    {
        var seconds = (int)Math.Ceiling(decision.RetryAfter.TotalSeconds);
        metrics.KeyRateLimited.WithLabels(key.Name, decision.Limit!).Inc();
        GatewayLog.RateLimited(logger, key.Name, decision.Limit!, seconds);
        var what = decision.Limit == "tokens" ? $"tokens per minute (limit {key.TokensPerMinute})" : $"requests per minute (limit {key.RequestsPerMinute})";
        await OpenAiErrors.WriteAsync(context, StatusCodes.Status429TooManyRequests, decision.Limit!, "rate_limit_exceeded",
            $"Rate limit reached for key '{key.Name}' on {what}. Please try again in {seconds}s.", decision.RetryAfter);
    }
}
