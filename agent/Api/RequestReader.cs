using System.Text;
using System.Text.Json;
using Fleet.Agent.Inference;
using LLama.Native;

namespace Fleet.Agent.Api;

/// <summary>
/// Turns the loosely typed parts of OpenAI requests (stop, prompt, content, role) into plain values; a value it
/// cannot use throws <see cref="InvalidRequestException"/> naming the field.
/// </summary>
internal static class RequestReader
{
    /// <summary>
    /// Most stop sequences in one request. OpenAI allows 4; llama-server sets no limit. Every generated piece is
    /// searched for each of them on the loop all slots share, so the bound is large but finite.
    /// </summary>
    public const int MaxStops = 64;

    /// <summary>Most alternatives per token (<c>top_logprobs</c>, legacy <c>logprobs</c>): OpenAI's own bound.</summary>
    public const int MaxTopLogprobs = 20;

    /// <summary>
    /// Longest stop sequence: matching holds back text that may start one, at a cost per token that grows with the
    /// square of its length, on the inference loop every slot shares.
    /// </summary>
    public const int MaxStopChars = 256;

    /// <summary>Roles a chat template understands; <c>developer</c> (OpenAI's newer name) is sent as <c>system</c>.</summary>
    public static string Role(string? role, string param) => role switch
    {
        "system" or "developer" => "system",
        "user" or "assistant" or "tool" => role,
        _ => throw new InvalidRequestException($"{param} must be one of system, developer, user, assistant, tool", param),
    };

    /// <summary>stop: absent, a string, or an array of up to <see cref="MaxStops"/> strings.</summary>
    public static List<string> Stops(JsonElement? stop)
    {
        const string message = "stop must be a string or an array of strings";
        var stops = new List<string>();
        if (stop is not { } e || e.ValueKind == JsonValueKind.Null) return stops;
        if (e.ValueKind == JsonValueKind.String) stops.Add(Text(e, "stop"));
        else if (e.ValueKind == JsonValueKind.Array)
            foreach (var item in e.EnumerateArray())
                stops.Add(item.ValueKind == JsonValueKind.String ? Text(item, "stop") : throw new InvalidRequestException(message, "stop"));
        else throw new InvalidRequestException(message, "stop");

        stops.RemoveAll(s => s.Length == 0);
        if (stops.Count > MaxStops)
            throw new InvalidRequestException(
                $"stop allows at most {MaxStops} sequences (this agent's bound; OpenAI allows 4), got {stops.Count}: send fewer", "stop");
        if (stops.Find(s => s.Length > MaxStopChars) is { } longStop)
            throw new InvalidRequestException($"each stop sequence may hold at most {MaxStopChars} characters, got {longStop.Length}", "stop");
        return stops;
    }

    /// <summary>Most prompts in one <c>/v1/completions</c> request (admission bounds prompts × n further).</summary>
    public const int MaxPrompts = 256;

    /// <summary>
    /// prompt: a string, an array of strings, an array of token ids, or an array of arrays of token ids (llama-server
    /// and OpenAI accept all four); each prompt gets its own choices.
    /// </summary>
    public static List<PromptInput> Prompts(JsonElement? prompt, int vocabSize)
    {
        const string shapes = "prompt must be a string, an array of strings, an array of token ids or an array of arrays of token ids";
        if (prompt is { ValueKind: JsonValueKind.String } single) return [new PromptInput(Text(single, "prompt"), null)];
        if (prompt is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
            throw new InvalidRequestException(shapes + " (not empty)", "prompt");
        if (array[0].ValueKind == JsonValueKind.Number) return [new PromptInput(null, Tokens(array, "prompt", vocabSize))];
        if (array.GetArrayLength() > MaxPrompts)
            throw new InvalidRequestException($"prompt holds {array.GetArrayLength()} prompts; this agent takes at most {MaxPrompts} in one request: send several requests", "prompt");
        var prompts = new List<PromptInput>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var param = $"prompt[{i++}]";
            prompts.Add(item.ValueKind switch
            {
                JsonValueKind.String when array[0].ValueKind == JsonValueKind.String => new PromptInput(Text(item, param), null),
                JsonValueKind.Array when array[0].ValueKind == JsonValueKind.Array => new PromptInput(null, Tokens(item, param, vocabSize)),
                _ => throw new InvalidRequestException($"{shapes}; {param} does not match the first prompt's kind", param),
            });
        }

        return prompts;
    }

    private static LLamaToken[] Tokens(JsonElement array, string param, int vocabSize)
    {
        if (array.GetArrayLength() == 0) throw new InvalidRequestException($"{param} must hold at least one token id", param);
        var tokens = new LLamaToken[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0 || id >= vocabSize)
                throw new InvalidRequestException(
                    $"{param} must hold token ids of this model (0 to {vocabSize - 1}), got {item.GetRawText()} at {param}[{i}]", param);
            tokens[i++] = id;
        }

        return tokens;
    }

    /// <summary>Alternatives per token asked for in <paramref name="param"/>: 0 to <see cref="MaxTopLogprobs"/>.</summary>
    public static int TopLogprobs(int value, string param) => value is >= 0 and <= MaxTopLogprobs
        ? value
        : throw new InvalidRequestException($"{param} must be between 0 and {MaxTopLogprobs}, got {value}", param);

    /// <summary>Message content: a string, or text parts joined (non-text parts are refused).</summary>
    public static string Content(JsonElement? content, string param)
    {
        if (content is not { } e || e.ValueKind == JsonValueKind.Null) return "";
        if (e.ValueKind == JsonValueKind.String) return Text(e, param);
        var refused = new InvalidRequestException($"{param} must be a string or a list of text parts", param);
        if (e.ValueKind != JsonValueKind.Array) throw refused;
        var text = new StringBuilder();
        foreach (var part in e.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type)
                || type.ValueKind != JsonValueKind.String || !type.ValueEquals("text")
                || !part.TryGetProperty("text", out var t) || t.ValueKind != JsonValueKind.String)
                throw refused;
            text.Append(Text(t, param));
        }

        return text.ToString();
    }

    /// <summary>Checks the sampling fields shared by both endpoints (token ids in logit_bias against the vocabulary).</summary>
    public static SamplingSettings Sampling(ISamplingFields f, int vocabSize)
    {
        Unsupported(f.Unsupported, "");
        Unsupported(f.StreamOptions?.Unsupported, "stream_options.");
        if (f.Temperature is < 0 or > 2) throw new InvalidRequestException("temperature must be between 0 and 2", "temperature");
        if (f.TopP is <= 0 or > 1) throw new InvalidRequestException("top_p must be greater than 0 and at most 1", "top_p");
        if (f.TopK is < 0) throw new InvalidRequestException("top_k must be 0 (off) or more", "top_k");
        if (f.MinP is < 0 or > 1) throw new InvalidRequestException("min_p must be between 0 and 1", "min_p");
        if (f.FrequencyPenalty is < -2 or > 2) throw new InvalidRequestException("frequency_penalty must be between -2 and 2", "frequency_penalty");
        if (f.PresencePenalty is < -2 or > 2) throw new InvalidRequestException("presence_penalty must be between -2 and 2", "presence_penalty");
        if (f.RepeatPenalty is <= 0 or > 10) throw new InvalidRequestException("repeat_penalty must be greater than 0 and at most 10", "repeat_penalty");
        Dictionary<int, float>? bias = null;
        if (f.LogitBias is { Count: > 0 } logitBias)
        {
            bias = new Dictionary<int, float>(logitBias.Count);
            foreach (var (key, value) in logitBias)
            {
                if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token)
                    || token >= vocabSize)
                    throw new InvalidRequestException($"logit_bias keys must be token ids of this model (0 to {vocabSize - 1}), got \"{key}\"", "logit_bias");
                if (value is < -100 or > 100 || float.IsNaN(value))
                    throw new InvalidRequestException("logit_bias values must be between -100 and 100", "logit_bias");
                bias[token] = value;
            }
        }

        return new SamplingSettings(f.Temperature ?? 1f, f.TopP ?? 1f, f.Seed is { } s ? unchecked((uint)s) : null)
        {
            TopK = f.TopK ?? 40,
            MinP = f.MinP ?? 0.1f,
            FrequencyPenalty = f.FrequencyPenalty ?? 0f,
            PresencePenalty = f.PresencePenalty ?? 0f,
            RepeatPenalty = f.RepeatPenalty ?? 1f,
            LogitBias = bias,
        };
    }

    public const string UnsupportedCode = "unsupported_parameter";

    /// <summary>A field the agent does not honour, set (not null): 400 naming it, never silently dropped.</summary>
    public static void Unsupported(Dictionary<string, JsonElement>? extra, string prefix)
    {
        if (extra is null) return;
        foreach (var (name, value) in extra)
            if (value.ValueKind != JsonValueKind.Null) throw NotSupported(prefix + name);
    }

    public static InvalidRequestException NotSupported(string param, string? why = null) =>
        new($"{param} is not supported by this agent{(why is null ? "" : ": " + why)}", param, UnsupportedCode);

    /// <summary>A JSON string as .NET text; invalid UTF-8 or an unpaired surrogate escape is the client's error.</summary>
    internal static string Text(JsonElement e, string param)
    {
        try
        {
            return e.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new InvalidRequestException(
                $"{param} is not valid text: it holds invalid UTF-8 or an unpaired surrogate escape (\\ud800-\\udfff)", param);
        }
    }
}
