using System.Text;
using System.Text.Json;
using Fleet.Agent.Inference;

namespace Fleet.Agent.Api;

/// <summary>Turns the loosely typed parts of OpenAI requests (stop, prompt, content) into plain values.</summary>
internal static class RequestReader
{
    public const int MaxStops = 4;

    /// <summary>stop: absent, a string, or an array of up to 4 strings.</summary>
    public static bool TryStops(JsonElement? stop, out List<string> stops, out string? error)
    {
        stops = [];
        error = null;
        if (stop is not { } e || e.ValueKind == JsonValueKind.Null) return true;
        if (e.ValueKind == JsonValueKind.String)
        {
            stops.Add(e.GetString()!);
        }
        else if (e.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    error = "stop must be a string or an array of strings";
                    return false;
                }

                stops.Add(item.GetString()!);
            }
        }
        else
        {
            error = "stop must be a string or an array of strings";
            return false;
        }

        stops.RemoveAll(s => s.Length == 0);
        if (stops.Count > MaxStops) error = $"stop allows at most {MaxStops} sequences, got {stops.Count}";
        return error is null;
    }

    /// <summary>prompt: a string, or an array holding exactly one string.</summary>
    public static string? Prompt(JsonElement? prompt) => prompt switch
    {
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() == 1 && a[0].ValueKind == JsonValueKind.String => a[0].GetString(),
        _ => null,
    };

    /// <summary>Message content: a string, or text parts joined (non-text parts are refused).</summary>
    public static string? Content(JsonElement? content)
    {
        if (content is not { } e || e.ValueKind == JsonValueKind.Null) return "";
        if (e.ValueKind == JsonValueKind.String) return e.GetString();
        if (e.ValueKind != JsonValueKind.Array) return null;
        var text = new StringBuilder();
        foreach (var part in e.EnumerateArray())
        {
            if (!part.TryGetProperty("type", out var type) || type.GetString() != "text" || !part.TryGetProperty("text", out var t))
                return null;
            text.Append(t.GetString());
        }

        return text.ToString();
    }

    /// <summary>Checks the sampling fields shared by both endpoints.</summary>
    public static string? Sampling(float? temperature, float? topP, long? seed, int? n, out SamplingSettings sampling)
    {
        sampling = new SamplingSettings(temperature ?? 1f, topP ?? 1f, seed is { } s ? unchecked((uint)s) : null);
        if (temperature is < 0 or > 2) return "temperature must be between 0 and 2";
        if (topP is <= 0 or > 1) return "top_p must be greater than 0 and at most 1";
        if (n is not (null or 1)) return "n must be 1: the agent returns one choice per request";
        return null;
    }
}
