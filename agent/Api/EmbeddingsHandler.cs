using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Fleet.Agent.Api;

/// <summary>
/// POST /v1/embeddings (OpenAI's shape) for a model that declares a pooling type; any other model answers 400
/// <c>model_not_supported</c> naming it. Inputs are bounded like prompts and run under an admission (429 when full).
/// </summary>
internal sealed partial class CompletionHandler
{
    /// <summary>Most inputs in one request.</summary>
    public const int MaxEmbeddingInputs = 64;

    public Task EmbeddingsAsync(HttpContext http) => GuardedAsync(http, "embeddings", EmbeddingsCoreAsync);

    private async Task EmbeddingsCoreAsync(HttpContext http)
    {
        if (!await CheckAvailableAsync(http)) return;
        var body = await ReadAsync(http, OpenAiJsonContext.Default.EmbeddingsRequest);
        if (body is null) return;
        RequestReader.Unsupported(body.Unsupported, "");
        var model = engine.Model!.Id;
        if (!engine.EmbeddingsSupported)
        {
            await OpenAiErrors.BadRequest(http.Response,
                $"model {model} does not produce embeddings: its GGUF declares no pooling type (<arch>.pooling_type, as embedding " +
                "models such as bge or nomic-embed do); send embeddings to an agent serving an embedding model", "model", "model_not_supported");
            return;
        }

        var base64 = body.EncodingFormat switch
        {
            null or "float" => false,
            "base64" => true,
            _ => throw new InvalidRequestException("encoding_format must be float or base64", "encoding_format"),
        };
        var inputs = Inputs(body.Input);
        foreach (var input in inputs)
            if (Encoding.UTF8.GetByteCount(input) > engine.MaxPromptBytes)
                throw new InvalidRequestException(
                    $"an input is over the {engine.MaxPromptBytes} bytes this agent reads (FLEET_MAX_PROMPT_BYTES): shorten it", "input",
                    "context_length_exceeded");

        var result = await RunAdmittedAsync(http, async ct =>
        {
            var data = new List<EmbeddingDto>(inputs.Count);
            var tokens = 0;
            for (var i = 0; i < inputs.Count; i++)
            {
                var ids = await engine.TokenizeAsync(inputs[i], addSpecial: true, ct);
                if (ids.Length == 0) throw new InvalidRequestException($"input[{i}] has no tokens", "input");
                if (ids.Length > engine.EmbeddingMaxTokens)
                    throw new InvalidRequestException(
                        $"input[{i}] has {ids.Length} tokens; an embedding reads at most {engine.EmbeddingMaxTokens} (a slot's context): shorten it",
                        "input", "context_length_exceeded");
                var vector = await engine.EmbedAsync(ids, ct);
                tokens += ids.Length;
                var embedding = base64
                    ? JsonSerializer.SerializeToElement(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())), OpenAiJsonContext.Default.String)
                    : JsonSerializer.SerializeToElement(vector, OpenAiJsonContext.Default.SingleArray);
                data.Add(new EmbeddingDto("embedding", i, embedding));
            }

            return (object)new EmbeddingsResponse("list", data, model, new EmbeddingsUsageDto(tokens, tokens));
        });
        if (result is EmbeddingsResponse done)
            await http.Response.WriteAsJsonAsync(done, OpenAiJsonContext.Default.EmbeddingsResponse);
    }

    /// <summary>input: a string or an array of 1 to <see cref="MaxEmbeddingInputs"/> strings.</summary>
    private static List<string> Inputs(JsonElement? input)
    {
        var message = $"input must be a string or an array of 1 to {MaxEmbeddingInputs} strings";
        switch (input)
        {
            case { ValueKind: JsonValueKind.String } s:
                return [RequestReader.Text(s, "input")];
            case { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() is > 0 and <= MaxEmbeddingInputs:
                if (a.EnumerateArray().Any(x => x.ValueKind is JsonValueKind.Number or JsonValueKind.Array))
                    throw new InvalidRequestException("input as token ids is not supported by this agent: send the text", "input",
                        RequestReader.UnsupportedCode);
                return [.. a.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String
                    ? RequestReader.Text(x, "input")
                    : throw new InvalidRequestException(message, "input"))];
            default:
                throw new InvalidRequestException(message, "input");
        }
    }
}
