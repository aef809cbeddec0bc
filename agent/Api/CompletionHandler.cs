using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Configuration;
using Fleet.Agent.Hosting;
using Fleet.Agent.Inference;
using Fleet.Agent.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Api;

/// <summary>
/// POST /v1/chat/completions and /v1/completions: validate, admit (or 429), hand to the inference loop, and write
/// the answer as one JSON body or as SSE chunks ending in <c>data: [DONE]</c>. Prompts and outputs are never logged.
/// </summary>
internal sealed partial class CompletionHandler(
    LlamaEngine engine,
    DrainState drain,
    AgentMetrics metrics,
    AgentOptions options,
    TimeProvider time,
    ILogger<CompletionHandler> logger)
{
    private static readonly string IdPrefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    private static long _sequence;

    public async Task ChatAsync(HttpContext http)
    {
        try
        {
            await ChatCoreAsync(http);
        }
        finally
        {
            metrics.Request("chat_completions", http.Response.StatusCode);
        }
    }

    public async Task CompletionsAsync(HttpContext http)
    {
        try
        {
            await CompletionsCoreAsync(http);
        }
        finally
        {
            metrics.Request("completions", http.Response.StatusCode);
        }
    }

    private async Task ChatCoreAsync(HttpContext http)
    {
        if (!await CheckAvailableAsync(http)) return;
        var body = await ReadAsync(http, OpenAiJsonContext.Default.ChatCompletionRequest);
        if (body is null) return;
        if (body.Messages is not { Count: > 0 } messages)
        {
            await OpenAiErrors.BadRequest(http.Response, "messages must hold at least one message", "messages");
            return;
        }

        var turns = new List<ChatTurn>();
        foreach (var m in messages)
        {
            var content = RequestReader.Content(m.Content);
            if (m.Role is null || content is null)
            {
                await OpenAiErrors.BadRequest(http.Response, "each message needs a role and text content (a string or text parts)", "messages");
                return;
            }

            turns.Add(new ChatTurn(m.Role, content));
        }

        var request = await AdmitAsync(http, engine.PrepareChat(turns), body.MaxCompletionTokens ?? body.MaxTokens, body.Stop,
            body.Temperature, body.TopP, body.Seed, body.N);
        if (request is null) return;
        var reply = new Reply(NextId("chatcmpl-"), time.GetUtcNow().ToUnixTimeSeconds(), engine.Model!.Id, Chat: true);
        if (body.Stream == true) await StreamAsync(http, request, reply, body.StreamOptions?.IncludeUsage == true);
        else await CollectAsync(http, request, reply);
    }

    private async Task CompletionsCoreAsync(HttpContext http)
    {
        if (!await CheckAvailableAsync(http)) return;
        var body = await ReadAsync(http, OpenAiJsonContext.Default.CompletionRequest);
        if (body is null) return;
        if (RequestReader.Prompt(body.Prompt) is not { } prompt)
        {
            await OpenAiErrors.BadRequest(http.Response, "prompt must be a string (or an array holding one string)", "prompt");
            return;
        }

        var request = await AdmitAsync(http, engine.PrepareText(prompt), body.MaxTokens, body.Stop, body.Temperature, body.TopP,
            body.Seed, body.N);
        if (request is null) return;
        var reply = new Reply(NextId("cmpl-"), time.GetUtcNow().ToUnixTimeSeconds(), engine.Model!.Id, Chat: false);
        if (body.Stream == true) await StreamAsync(http, request, reply, body.StreamOptions?.IncludeUsage == true);
        else await CollectAsync(http, request, reply);
    }

    private async Task<bool> CheckAvailableAsync(HttpContext http)
    {
        if (drain.IsDraining)
        {
            await OpenAiErrors.WriteAsync(http.Response, StatusCodes.Status503ServiceUnavailable,
                "this node is draining and takes no new requests; retry on another node", "unavailable", "draining", null, 5);
            return false;
        }

        if (engine.State != EngineState.Ready)
        {
            await OpenAiErrors.WriteAsync(http.Response, StatusCodes.Status503ServiceUnavailable,
                $"the model is not serving (state: {engine.State.ToString().ToLowerInvariant()})", "unavailable", "model_not_ready", null, 5);
            return false;
        }

        return true;
    }

    private static async Task<T?> ReadAsync<T>(HttpContext http, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(http.Request.Body, type, http.RequestAborted);
            if (body is null) await OpenAiErrors.BadRequest(http.Response, "the request body must be a JSON object");
            return body;
        }
        catch (JsonException e)
        {
            await OpenAiErrors.BadRequest(http.Response, $"the request body is not valid JSON for this endpoint: {e.Message}");
            return null;
        }
    }

    private async Task<GenerationRequest?> AdmitAsync(HttpContext http, PreparedPrompt prompt, int? maxTokens, JsonElement? stop,
        float? temperature, float? topP, long? seed, int? n)
    {
        var response = http.Response;
        if (RequestReader.Sampling(temperature, topP, seed, n, out var sampling) is { } samplingError)
        {
            await OpenAiErrors.BadRequest(response, samplingError);
            return null;
        }

        if (!RequestReader.TryStops(stop, out var stops, out var stopError))
        {
            await OpenAiErrors.BadRequest(response, stopError!, "stop");
            return null;
        }

        if (maxTokens is < 1)
        {
            await OpenAiErrors.BadRequest(response, "max_tokens must be at least 1", "max_tokens");
            return null;
        }

        if (prompt.MaxNewTokens < 1)
        {
            await OpenAiErrors.WriteAsync(response, StatusCodes.Status400BadRequest,
                $"the prompt has {prompt.Tokens.Length} tokens; a slot holds {engine.SlotContext} (FLEET_CONTEXT_SIZE / FLEET_PARALLEL_SLOTS)",
                "invalid_request_error", "context_length_exceeded", "messages");
            return null;
        }

        if (!engine.Admission.TryEnter())
        {
            LogQueueFull(logger, engine.Admission.Slots, engine.Admission.QueueLimit);
            await OpenAiErrors.WriteAsync(response, StatusCodes.Status429TooManyRequests,
                $"all {engine.Admission.Slots} slots are busy and the queue ({engine.Admission.QueueLimit}) is full; retry later",
                "rate_limit_error", "queue_full", null, 1);
            return null;
        }

        var limit = Math.Min(maxTokens ?? options.MaxTokensDefault, prompt.MaxNewTokens);
        var request = new GenerationRequest(prompt.Tokens, limit, stops, sampling, time.GetTimestamp(), http.RequestAborted);
        request.OnRelease(engine.Admission.Leave);
        engine.Enqueue(request);
        return request;
    }

    private async Task CollectAsync(HttpContext http, GenerationRequest request, Reply reply)
    {
        var text = new StringBuilder();
        try
        {
            await foreach (var piece in request.Output.ReadAllAsync(http.RequestAborted)) text.Append(piece);
        }
        catch (OperationCanceledException)
        {
            return; // client gone; the loop frees the slot
        }
        finally
        {
            request.Release();
        }

        var result = await request.Result;
        if (await FailedAsync(http, result)) return;
        var usage = Usage(result);
        var finish = FinishName(result.Finish);
        http.Response.ContentType = "application/json";
        if (reply.Chat)
        {
            var body = new ChatCompletionResponse(reply.Id, "chat.completion", reply.Created, reply.Model,
                [new ChatChoice(0, new ChatMessageOut("assistant", text.ToString()), null, finish)], usage);
            await JsonSerializer.SerializeAsync(http.Response.Body, body, OpenAiJsonContext.Default.ChatCompletionResponse);
        }
        else
        {
            var body = new TextCompletionResponse(reply.Id, "text_completion", reply.Created, reply.Model,
                [new TextChoice(0, text.ToString(), finish)], usage);
            await JsonSerializer.SerializeAsync(http.Response.Body, body, OpenAiJsonContext.Default.TextCompletionResponse);
        }
    }

    private async Task StreamAsync(HttpContext http, GenerationRequest request, Reply reply, bool includeUsage)
    {
        var response = http.Response;
        var ct = http.RequestAborted;
        try
        {
            SseWriter.Start(response);
            if (reply.Chat) SseWriter.Write(response, ChatChunk(reply, new ChatMessageOut("assistant", ""), null), OpenAiJsonContext.Default.ChatCompletionResponse);
            await SseWriter.FlushAsync(response, ct);
            var output = request.Output;
            while (await output.WaitToReadAsync(ct))
            {
                // Send everything already generated in one flush: fewer syscalls when tokens come faster than the network.
                while (output.TryRead(out var piece)) WritePiece(response, reply, piece);
                await SseWriter.FlushAsync(response, ct);
            }

            var result = await request.Result;
            if (result.Finish == FinishReason.Cancelled) return;
            if (result.Finish == FinishReason.Error)
            {
                // Headers are gone already: report in-band, the way OpenAI does mid-stream.
                SseWriter.Write(response, new ErrorResponse(new ErrorBody(result.Error ?? "generation failed", "server_error", null, null)),
                    OpenAiJsonContext.Default.ErrorResponse);
            }
            else if (reply.Chat)
            {
                SseWriter.Write(response, ChatChunk(reply, new ChatMessageOut(null, null), FinishName(result.Finish)),
                    OpenAiJsonContext.Default.ChatCompletionResponse);
                if (includeUsage)
                    SseWriter.Write(response, new ChatCompletionResponse(reply.Id, "chat.completion.chunk", reply.Created, reply.Model, [], Usage(result)),
                        OpenAiJsonContext.Default.ChatCompletionResponse);
            }
            else
            {
                SseWriter.Write(response, TextChunk(reply, "", FinishName(result.Finish)), OpenAiJsonContext.Default.TextCompletionResponse);
                if (includeUsage)
                    SseWriter.Write(response, new TextCompletionResponse(reply.Id, "text_completion", reply.Created, reply.Model, [], Usage(result)),
                        OpenAiJsonContext.Default.TextCompletionResponse);
            }

            SseWriter.WriteDone(response);
            await SseWriter.FlushAsync(response, ct);
        }
        catch (OperationCanceledException)
        {
            // client gone; the loop frees the slot at its next step
        }
        finally
        {
            request.Release();
        }
    }

    private static void WritePiece(HttpResponse response, Reply reply, string piece)
    {
        if (reply.Chat) SseWriter.Write(response, ChatChunk(reply, new ChatMessageOut(null, piece), null), OpenAiJsonContext.Default.ChatCompletionResponse);
        else SseWriter.Write(response, TextChunk(reply, piece, null), OpenAiJsonContext.Default.TextCompletionResponse);
    }

    private static ChatCompletionResponse ChatChunk(Reply reply, ChatMessageOut delta, string? finish) =>
        new(reply.Id, "chat.completion.chunk", reply.Created, reply.Model, [new ChatChoice(0, null, delta, finish)], null);

    private static TextCompletionResponse TextChunk(Reply reply, string text, string? finish) =>
        new(reply.Id, "text_completion", reply.Created, reply.Model, [new TextChoice(0, text, finish)], null);

    private static async Task<bool> FailedAsync(HttpContext http, GenerationResult result)
    {
        switch (result.Finish)
        {
            case FinishReason.Cancelled:
                return true;
            case FinishReason.Error:
                await OpenAiErrors.WriteAsync(http.Response, StatusCodes.Status500InternalServerError, result.Error ?? "generation failed", "server_error");
                return true;
            default:
                return false;
        }
    }

    private static UsageDto Usage(GenerationResult r) => new(r.PromptTokens, r.CompletionTokens, r.PromptTokens + r.CompletionTokens);

    private static string FinishName(FinishReason reason) => reason == FinishReason.Length ? "length" : "stop";

    private static string NextId(string prefix) => $"{prefix}{IdPrefix}{Interlocked.Increment(ref _sequence):x}";

    private sealed record Reply(string Id, long Created, string Model, bool Chat);

    [LoggerMessage(Level = LogLevel.Warning, Message = "queue full ({Slots} slots busy, {QueueLimit} queued): answered 429")]
    private static partial void LogQueueFull(ILogger logger, int slots, int queueLimit);
}
