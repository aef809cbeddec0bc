using Fleet.Gateway.Proxy;

namespace Fleet.Gateway.Hosting;

/// <summary>
/// Gives the answers routing leaves empty — an unknown URL (404) or a method the route does not take (405) — the
/// OpenAI error shape, as OpenAI itself does (<c>Invalid URL (GET /v1/foo)</c>). The query string is never echoed.
/// </summary>
public static class UnmatchedRequests
{
    /// <summary>Middleware: runs the rest of the pipeline, then fills in an empty 404/405.</summary>
    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        var response = context.Response;
        // Only routing's own answers: a mapped route (a RouteEndpoint) speaks for itself, e.g. a node's empty 404 passed through.
        if (response.HasStarted || response.ContentLength is not null || !string.IsNullOrEmpty(response.ContentType)
            || context.GetEndpoint() is RouteEndpoint) return;
        var what = $"{context.Request.Method} {context.Request.Path}";
        if (response.StatusCode == StatusCodes.Status404NotFound)
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status404NotFound, "invalid_request_error", "unknown_url",
                $"Invalid URL ({what}). The gateway serves /v1/chat/completions, /v1/completions, /v1/embeddings and /v1/models.");
        else if (response.StatusCode == StatusCodes.Status405MethodNotAllowed)
            await OpenAiErrors.WriteAsync(context, StatusCodes.Status405MethodNotAllowed, "invalid_request_error", "method_not_allowed",
                $"Method not allowed ({what}); this URL takes {(string.IsNullOrEmpty(response.Headers.Allow) ? "another method" : response.Headers.Allow.ToString())}.");
    }
}
