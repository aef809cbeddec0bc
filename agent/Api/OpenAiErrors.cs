using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Fleet.Agent.Api;

/// <summary>Writes errors in the OpenAI shape: <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class OpenAiErrors
{
    public static async Task WriteAsync(HttpResponse response, int status, string message, string type,
        string? code = null, string? param = null, int? retryAfterSeconds = null)
    {
        response.StatusCode = status;
        if (retryAfterSeconds is { } s) response.Headers.RetryAfter = s.ToString(CultureInfo.InvariantCulture);
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, new ErrorResponse(new ErrorBody(message, type, param, code)),
            OpenAiJsonContext.Default.ErrorResponse);
    }

    public static Task BadRequest(HttpResponse response, string message, string? param = null) =>
        WriteAsync(response, StatusCodes.Status400BadRequest, message, "invalid_request_error", null, param);
}
