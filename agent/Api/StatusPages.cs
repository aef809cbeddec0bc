using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Fleet.Agent.Api;

/// <summary>Bodiless errors from routing (unknown route 404, wrong method 405) get the OpenAI error shape too.</summary>
public static class StatusPages
{
    private const string Routes = "POST /v1/chat/completions, POST /v1/completions, POST /v1/embeddings, GET /v1/models, GET /health, GET /ready, GET /metrics";

    public static IApplicationBuilder UseOpenAiStatusPages(this IApplicationBuilder app) => app.UseStatusCodePages(context =>
    {
        var http = context.HttpContext;
        var response = http.Response;
        var target = $"{http.Request.Method} {http.Request.Path}";
        return response.StatusCode switch
        {
            StatusCodes.Status404NotFound => OpenAiErrors.WriteAsync(response, response.StatusCode,
                $"no route {target} on this agent; it serves {Routes}", "invalid_request_error", "unknown_url"),
            StatusCodes.Status405MethodNotAllowed => OpenAiErrors.WriteAsync(response, response.StatusCode,
                $"{target} is not allowed; this route accepts {response.Headers.Allow}", "invalid_request_error", "method_not_allowed"),
            var status => OpenAiErrors.WriteAsync(response, status, ReasonPhrases.GetReasonPhrase(status), "invalid_request_error",
                "http_" + status),
        };
    });
}
