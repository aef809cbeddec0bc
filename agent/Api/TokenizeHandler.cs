using System.Text;
using System.Text.Json;
using LLama.Native;
using Microsoft.AspNetCore.Http;

namespace Fleet.Agent.Api;

/// <summary>
/// POST /tokenize and /detokenize (llama-server's shapes). Bounded like prompts: content over the prompt byte limit
/// (and more token ids than such content could yield) is refused before any work; the work runs on the tokenizer
/// threads, counts against admission (slots + queue, else 429) and stops with the client or the drain.
/// </summary>
internal sealed partial class CompletionHandler
{
    public Task TokenizeAsync(HttpContext http) => GuardedAsync(http, "tokenize", TokenizeCoreAsync);

    public Task DetokenizeAsync(HttpContext http) => GuardedAsync(http, "detokenize", DetokenizeCoreAsync);

    private async Task TokenizeCoreAsync(HttpContext http)
    {
        if (!await CheckAvailableAsync(http)) return;
        var body = await ReadAsync(http, OpenAiJsonContext.Default.TokenizeRequest);
        if (body is null) return;
        RequestReader.Unsupported(body.Unsupported, "");
        var content = body.Content is { ValueKind: JsonValueKind.String } c
            ? RequestReader.Text(c, "content")
            : throw new InvalidRequestException("content must be a string", "content");
        var bytes = Encoding.UTF8.GetByteCount(content);
        if (bytes > engine.MaxPromptBytes)
        {
            await OpenAiErrors.ContextExceeded(http.Response,
                $"content is {bytes} bytes; this agent reads at most {engine.MaxPromptBytes} bytes of prompt text (FLEET_MAX_PROMPT_BYTES): shorten it",
                "content");
            return;
        }

        var result = await RunAdmittedAsync(http, async ct =>
        {
            var tokens = await engine.TokenizeAsync(content, body.AddSpecial == true, ct);
            if (body.WithPieces != true) return (object)new TokenizeResponse([.. tokens.Select(t => (int)t)]);
            var pieces = await engine.PiecesAsync(tokens, ct);
            return new TokenizePiecesResponse([.. tokens.Select((t, i) => new TokenPiece((int)t, Encoding.UTF8.GetString(pieces[i])))]);
        });
        switch (result)
        {
            case TokenizeResponse plain:
                await http.Response.WriteAsJsonAsync(plain, OpenAiJsonContext.Default.TokenizeResponse);
                break;
            case TokenizePiecesResponse withPieces:
                await http.Response.WriteAsJsonAsync(withPieces, OpenAiJsonContext.Default.TokenizePiecesResponse);
                break;
        }
    }

    private async Task DetokenizeCoreAsync(HttpContext http)
    {
        if (!await CheckAvailableAsync(http)) return;
        var body = await ReadAsync(http, OpenAiJsonContext.Default.DetokenizeRequest);
        if (body is null) return;
        RequestReader.Unsupported(body.Unsupported, "");
        var vocab = engine.VocabSize;
        var message = $"tokens must be an array of token ids of this model (0 to {vocab - 1})";
        if (body.Tokens is not { ValueKind: JsonValueKind.Array } array) throw new InvalidRequestException(message, "tokens");
        // Content within the prompt byte limit never yields more tokens than it has bytes (+ BOS/EOS).
        var most = engine.MaxPromptBytes + 2;
        if (array.GetArrayLength() > most)
        {
            await OpenAiErrors.ContextExceeded(http.Response,
                $"tokens holds {array.GetArrayLength()} ids; this agent detokenizes at most {most} (what its prompt byte limit, FLEET_MAX_PROMPT_BYTES, can yield)",
                "tokens");
            return;
        }

        var tokens = new LLamaToken[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0 || id >= vocab)
                throw new InvalidRequestException($"{message}, got {item.GetRawText()} at tokens[{i}]", "tokens");
            tokens[i++] = id;
        }

        var result = await RunAdmittedAsync(http, async ct => (object)new DetokenizeResponse(await engine.DetokenizeAsync(tokens, ct)));
        if (result is DetokenizeResponse done)
            await http.Response.WriteAsJsonAsync(done, OpenAiJsonContext.Default.DetokenizeResponse);
    }

    /// <summary>Runs tokenizer work under an admission (or answers 429 / 503 draining and returns null).</summary>
    private async Task<object?> RunAdmittedAsync(HttpContext http, Func<CancellationToken, Task<object>> work)
    {
        if (!engine.Admission.TryEnter())
        {
            LogQueueFull(logger, engine.Admission.Slots, engine.Admission.QueueLimit);
            await OpenAiErrors.WriteAsync(http.Response, StatusCodes.Status429TooManyRequests,
                $"all {engine.Admission.Slots} slots are busy and the queue ({engine.Admission.QueueLimit}) is full; retry later",
                "rate_limit_error", "queue_full", null, 1);
            return null;
        }

        try
        {
            return await work(http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            if (!http.RequestAborted.IsCancellationRequested) await Draining(http.Response); // cut by the drain, not the client
            return null;
        }
        finally
        {
            engine.Admission.Leave();
        }
    }
}
