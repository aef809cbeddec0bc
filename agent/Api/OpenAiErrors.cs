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
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorResponse(new ErrorBody(message, type, param, code)),
            OpenAiJsonContext.Default.ErrorResponse);
        response.ContentLength = body.Length; // not chunked: also readable on a connection closed right after (413)
        await response.Body.WriteAsync(body);
    }

    public static Task BadRequest(HttpResponse response, string message, string? param, string code = "invalid_value") =>
        WriteAsync(response, StatusCodes.Status400BadRequest, message, "invalid_request_error", code, param);

    /// <summary>400 for a prompt that cannot fit a slot.</summary>
    public static Task ContextExceeded(HttpResponse response, string message, string param) =>
        BadRequest(response, message, param, "context_length_exceeded");

    /// <summary>
    /// A JSON error without .NET's wording (which names CLR types): where it failed and what to check.
    /// </summary>
    public static Task InvalidJson(HttpResponse response, JsonException e)
    {
        var param = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
        var where = param is null ? "" : $" at {param}";
        var position = e.LineNumber is { } line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "";
        return BadRequest(response,
            $"the request body is not valid JSON for this endpoint{where}{position}: check the syntax, that text is valid " +
            "UTF-8 without unpaired \\ud800-\\udfff escapes, and each field's type", param, "invalid_json");
    }
}
