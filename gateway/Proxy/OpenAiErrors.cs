using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fleet.Gateway.Proxy;

/// <summary>Writes gateway-made errors in the OpenAI shape, so OpenAI clients surface them properly.</summary>
public static class OpenAiErrors
{
    /// <summary>
    /// Writes <paramref name="status"/> with an OpenAI error body (<paramref name="param"/> names the offending field,
    /// when there is one), and <c>Retry-After</c> when given.
    /// </summary>
    public static Task WriteAsync(HttpContext context, int status, string type, string code, string message, TimeSpan? retryAfter = null, string? param = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        if (retryAfter is { } wait)
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        if (status == StatusCodes.Status401Unauthorized)
            response.Headers.WWWAuthenticate = "Bearer";
        response.ContentType = "application/json";
        var body = new OpenAiError(new OpenAiErrorDetail(message, type, param, code));
        // Readable text ('quotes', <, +) rather than \u0027 escapes: the body is JSON for API clients, never HTML.
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            JsonSerializer.Serialize(writer, body, GatewayJsonContext.Default.OpenAiError);
        return response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
