using System.Text.Json;

namespace Fleet.Gateway.Proxy;

/// <summary>What the gateway needs from a client's request body: the model, and whether it asks for a stream.</summary>
public readonly record struct CompletionRequest(string Model, bool Stream)
{
    /// <summary>Reads the top-level <c>model</c> and <c>stream</c>; null with a reason when the body is unusable.</summary>
    public static CompletionRequest? Parse(ReadOnlySpan<byte> body, out string? problem)
    {
        problem = null;
        string? model = null;
        var stream = false;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "The request body must be a JSON object.";
                return null;
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                var isStream = reader.ValueTextEquals("stream"u8);
                reader.Read();
                if (isModel && reader.TokenType == JsonTokenType.String) model = reader.GetString();
                else if (isStream) stream = reader.TokenType == JsonTokenType.True;
                reader.Skip();
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
        return new CompletionRequest(model, stream);
    }
}
