using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Fleet.Agent.Api;

/// <summary>Writes Server-Sent Events the way OpenAI streams: <c>data: {json}\n\n</c> ... <c>data: [DONE]\n\n</c>.</summary>
internal static class SseWriter
{
    private static readonly byte[] Prefix = "data: "u8.ToArray();
    private static readonly byte[] Suffix = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static void Start(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>Buffers one event; call <see cref="FlushAsync"/> to send what is buffered.</summary>
    public static void Write<T>(HttpResponse response, T value, JsonTypeInfo<T> type)
    {
        var writer = response.BodyWriter;
        writer.Write(Prefix.AsSpan());
        using (var json = new Utf8JsonWriter(writer))
            JsonSerializer.Serialize(json, value, type);
        writer.Write(Suffix.AsSpan());
    }

    public static void WriteDone(HttpResponse response) => response.BodyWriter.Write(Done.AsSpan());

    public static async Task FlushAsync(HttpResponse response, CancellationToken ct) => await response.BodyWriter.FlushAsync(ct);
}
