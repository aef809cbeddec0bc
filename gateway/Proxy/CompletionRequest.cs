using System.Text.Json;
using System.Text.Unicode;

namespace Fleet.Gateway.Proxy;

/// <summary>
/// What the gateway needs from a client's request body: the model, whether it asks for a stream, and whether it asked
/// for the stream's usage chunk (<c>stream_options.include_usage</c>).
/// </summary>
public readonly record struct CompletionRequest(string Model, bool Stream, bool IncludeUsage)
{
    /// <summary>
    /// Reads the body, checking that it is a JSON object whose every string is valid UTF-8 with no lone surrogate
    /// (so no node is sent text it cannot decode); null with a reason when the body is unusable.
    /// </summary>
    public static CompletionRequest? Parse(ReadOnlySpan<byte> body, out string? problem)
    {
        problem = null;
        string? model = null;
        bool stream = false, includeUsage = false, includeUsageNext = false;
        var property = Top.Other;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "The request body must be a JSON object.";
                return null;
            }
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token is JsonTokenType.PropertyName or JsonTokenType.String && !IsValidText(ref reader))
                {
                    problem = $"The request body holds a string that is not valid UTF-8 text (invalid bytes or a lone surrogate such as \\ud800) " +
                              $"at byte {reader.TokenStartIndex}. Send UTF-8 JSON.";
                    return null;
                }
                var depth = reader.CurrentDepth;
                if (token == JsonTokenType.PropertyName)
                {
                    if (depth == 1) property = Name(ref reader);
                    else if (depth == 2) includeUsageNext = property == Top.StreamOptions && reader.ValueTextEquals("include_usage"u8);
                    continue;
                }
                if (depth == 1 && property == Top.Model && token == JsonTokenType.String) model = reader.GetString();
                else if (depth == 1 && property == Top.Stream) stream = token == JsonTokenType.True;
                else if (depth == 2 && includeUsageNext) includeUsage = token == JsonTokenType.True;
                if (depth == 2) includeUsageNext = false;
            }
        }
        catch (JsonException e)
        {
            problem = $"The request body is not valid JSON: {e.Message}";
            return null;
        }
        if (string.IsNullOrEmpty(model))
        {
            problem = "You must provide a model parameter.";
            return null;
        }
        // The model name reaches logs and error messages: keep it one short line.
        if (model.Length > MaxModelLength || model.Any(char.IsControl))
        {
            problem = $"The model parameter must be at most {MaxModelLength} characters with no control characters (it has {model.Length}).";
            return null;
        }
        return new CompletionRequest(model, stream, includeUsage);
    }

    /// <summary>Longest model name accepted (node model ids are bounded the same way).</summary>
    public const int MaxModelLength = 256;

    private enum Top { Other, Model, Stream, StreamOptions }

    private static Top Name(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("model"u8) ? Top.Model
        : reader.ValueTextEquals("stream"u8) ? Top.Stream
        : reader.ValueTextEquals("stream_options"u8) ? Top.StreamOptions
        : Top.Other;

    private static bool IsValidText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return Utf8.IsValid(reader.ValueSpan);
        try
        {
            reader.GetString(); // unescaping rejects \ud800 without its pair, and invalid bytes
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
