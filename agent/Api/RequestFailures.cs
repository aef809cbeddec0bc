using Fleet.Agent.Inference;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Fleet.Agent.Api;

/// <summary>Turns what failed while handling a completion into its OpenAI-shaped answer, never quoting .NET types.</summary>
internal static class RequestFailures
{
    /// <summary>Writes the answer for a failure the client can act on; false for an unexpected one.</summary>
    public static async Task<bool> TryWriteAsync(HttpContext http, Exception e, int maxPromptBytes)
    {
        var response = http.Response;
        switch (e)
        {
            case InvalidRequestException invalid:
                await OpenAiErrors.BadRequest(response, invalid.Message, invalid.Param, invalid.Code);
                return true;
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                await OpenAiErrors.WriteAsync(response, StatusCodes.Status413PayloadTooLarge,
                    $"the request body is larger than this agent reads ({http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize} " +
                    $"bytes: its prompts hold at most {maxPromptBytes} bytes)", "invalid_request_error", "request_too_large");
                return true;
            case BadHttpRequestException bad:
                await OpenAiErrors.WriteAsync(response, bad.StatusCode, "the request could not be read: check Content-Length and the body",
                    "invalid_request_error", "invalid_request");
                return true;
            default:
                return false;
        }
    }

    /// <summary>500 for anything unexpected: the details stay in the log, under the request id the message names.</summary>
    public static Task WriteInternalAsync(HttpContext http) =>
        OpenAiErrors.WriteAsync(http.Response, StatusCodes.Status500InternalServerError,
            $"the agent could not handle this request; its log has the details under request {http.TraceIdentifier}",
            "server_error", "internal_error");
}
