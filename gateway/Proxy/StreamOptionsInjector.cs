using System.Text.Json;

namespace Fleet.Gateway.Proxy;

/// <summary>
/// Sets <c>stream_options.include_usage: true</c> in a streamed request the client sent without it, so the node reports
/// the prompt and completion tokens of every stream (the key is charged them; <see cref="UsageChunkFilter"/> keeps
/// the extra chunk from a client that did not ask). The body is spliced, not re-serialized: every other byte is kept.
/// </summary>
public static class StreamOptionsInjector
{
    private static readonly byte[] Member = "\"stream_options\":{\"include_usage\":true},"u8.ToArray();
    private static readonly byte[] Value = "{\"include_usage\":true}"u8.ToArray();

    /// <summary>The body with usage requested; <paramref name="body"/> must be a JSON object that <see cref="CompletionRequest.Parse"/> accepted.</summary>
    public static byte[] WithIncludeUsage(byte[] body)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        var open = (int)reader.BytesConsumed; // just after the top-level '{'
        int start = -1, end = -1;
        List<(int Start, int End)> kept = [];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isOptions = reader.ValueTextEquals("stream_options"u8);
            reader.Read();
            if (!isOptions) { reader.Skip(); continue; }
            // The last stream_options wins, as in the node's own parser.
            start = (int)reader.TokenStartIndex;
            kept = reader.TokenType == JsonTokenType.StartObject ? OtherMembers(ref reader) : [];
            if (reader.TokenType is JsonTokenType.StartArray) reader.Skip();
            end = (int)reader.BytesConsumed;
        }
        if (start < 0) return [.. body.AsSpan(0, open), .. Member, .. body.AsSpan(open)];

        var value = new List<byte>(Value.Length + kept.Sum(k => k.End - k.Start + 1));
        value.AddRange(Value.AsSpan(0, Value.Length - 1));
        foreach (var (s, e) in kept)
        {
            value.Add((byte)',');
            value.AddRange(body.AsSpan(s, e - s));
        }
        value.Add((byte)'}');
        return [.. body.AsSpan(0, start), .. value, .. body.AsSpan(end)];
    }

    // The byte ranges of stream_options' members other than include_usage; leaves the reader on the object's end.
    private static List<(int, int)> OtherMembers(ref Utf8JsonReader reader)
    {
        var members = new List<(int, int)>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var from = (int)reader.TokenStartIndex;
            var isUsage = reader.ValueTextEquals("include_usage"u8);
            reader.Read();
            reader.Skip();
            if (!isUsage) members.Add((from, (int)reader.BytesConsumed));
        }
        return members;
    }
}
