using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fleet.Agent.Configuration;
using Fleet.Agent.Hosting;
using Fleet.Agent.Inference;
using Fleet.Agent.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Api;

/// <summary>
/// POST /v1/chat/completions and /v1/completions: validate, bound the prompt's size, admit (or 429), tokenize off the
/// inference loop, hand to the loop, and write the answer as one JSON body or as SSE chunks ending in
/// <c>data: [DONE]</c>. Prompts and outputs are never logged.
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

    public Task ChatAsync(HttpContext http) => GuardedAsync(http, "chat_completions", ChatCoreAsync);

    public Task CompletionsAsync(HttpContext http) => GuardedAsync(http, "completions", CompletionsCoreAsync);

    /// <summary>Counts the request, and turns any failure before the response started into an OpenAI-shaped error.</summary>
    private async Task GuardedAsync(HttpContext http, string endpoint, Func<HttpContext, Task> handle)
    {
        try
        {
            await handle(http);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            if (!await RequestFailures.TryWriteAsync(http, e, engine.MaxPromptBytes))
            {
                LogFailed(logger, http.TraceIdentifier, e);
                await RequestFailures.WriteInternalAsync(http);
            }
        }
        finally
        {
            metrics.Request(endpoint, http.Response.StatusCode);
        }
    }

    private async Task ChatCoreAsync(HttpContext http)
    {
        if (!await CheckAvailableAsync(http)) return;
        var body = await ReadAsync(http, OpenAiJsonContext.Default.ChatCompletionRequest);
        if (body is null) return;
        if (body.Messages is not { Count: > 0 } messages)
            throw new InvalidRequestException("messages must hold at least one message", "messages");

        var turns = new List<ChatTurn>(messages.Count);
        long bytes = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i] ?? throw new InvalidRequestException($"messages[{i}] must be an object", $"messages[{i}]");
            RequestReader.Unsupported(m.Unsupported, $"messages[{i}].");
            var role = RequestReader.Role(m.Role, $"messages[{i}].role");
            var content = RequestReader.Content(m.Content, $"messages[{i}].content");
            bytes += Encoding.UTF8.GetByteCount(content);
            turns.Add(new ChatTurn(role, content));
        }

        if (body.TopLogprobs is not null && body.Logprobs != true && body.TopLogprobs != 0)
            throw new InvalidRequestException("top_logprobs needs logprobs: true", "top_logprobs");
        var topLogprobs = body.Logprobs == true ? RequestReader.TopLogprobs(body.TopLogprobs ?? 0, "top_logprobs") : (int?)null;
        if (body.MaxTokens is not null && body.MaxCompletionTokens is not null && body.MaxTokens != body.MaxCompletionTokens)
            throw new InvalidRequestException("max_tokens and max_completion_tokens are the same limit: give one, or both equal", "max_completion_tokens");
        var settings = Settings(body.MaxCompletionTokens ?? body.MaxTokens, body.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens",
            body.Stop, body);
        settings = settings with { TopLogprobs = topLogprobs };
        if (ResponseFormats.Grammar(body.ResponseFormat) is { } grammar)
            settings = settings with { Sampling = settings.Sampling with { Grammar = grammar } };
        var request = await AdmitAsync(http, bytes, "messages", settings, ct => engine.PrepareChatAsync(turns, ct));
        if (request is null) return;
        var reply = new CompletionReply(NextId("chatcmpl-"), time.GetUtcNow().ToUnixTimeSeconds(), engine.Model!.Id, Chat: true,
            settings.Choices, topLogprobs is not null);
        if (body.Stream == true) await CompletionWriter.StreamAsync(http, request, reply, body.StreamOptions?.IncludeUsage == true);
        else await CompletionWriter.CollectAsync(http, request, reply);
    }

    private async Task CompletionsCoreAsync(HttpContext http)
    {
        if (!await CheckAvailableAsync(http)) return;
        var body = await ReadAsync(http, OpenAiJsonContext.Default.CompletionRequest);
        if (body is null) return;
        var prompt = RequestReader.Prompt(body.Prompt);
        var topLogprobs = body.Logprobs is { } k ? RequestReader.TopLogprobs(k, "logprobs") : (int?)null;
        if (body.Echo == true) throw RequestReader.NotSupported("echo", "the prompt is not echoed back");
        if (body.BestOf is not (null or 1)) throw RequestReader.NotSupported("best_of", "only best_of 1 (one candidate per request)");
        if (body.Suffix is { Length: > 0 }) throw RequestReader.NotSupported("suffix", "insertion (fill-in-the-middle) is not supported");
        var settings = Settings(body.MaxTokens, "max_tokens", body.Stop, body) with { TopLogprobs = topLogprobs };
        var request = await AdmitAsync(http, Encoding.UTF8.GetByteCount(prompt), "prompt", settings,
            ct => engine.PrepareTextAsync(prompt, ct));
        if (request is null) return;
        var reply = new CompletionReply(NextId("cmpl-"), time.GetUtcNow().ToUnixTimeSeconds(), engine.Model!.Id, Chat: false,
            settings.Choices, topLogprobs is not null, prompt.Length);
        if (body.Stream == true) await CompletionWriter.StreamAsync(http, request, reply, body.StreamOptions?.IncludeUsage == true);
        else await CompletionWriter.CollectAsync(http, request, reply);
    }

    private async Task<bool> CheckAvailableAsync(HttpContext http)
    {
        if (drain.IsDraining)
        {
            await Draining(http.Response);
            return false;
        }

        if (engine.State != EngineState.Ready)
        {
            await OpenAiErrors.WriteAsync(http.Response, StatusCodes.Status503ServiceUnavailable,
                $"the model is not serving (state: {engine.State.ToString().ToLowerInvariant()})", "unavailable", "model_not_ready", null, 5);
            return false;
        }

        // No prompt this agent would take needs a bigger body (JSON escapes take at most 6 bytes per prompt byte).
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = 8L * engine.MaxPromptBytes + (1 << 20);
        return true;
    }

    private static Task Draining(HttpResponse response) =>
        OpenAiErrors.WriteAsync(response, StatusCodes.Status503ServiceUnavailable,
            "this node is draining and takes no new requests; retry on another node", "unavailable", "draining", null, 5);

    private static async Task<T?> ReadAsync<T>(HttpContext http, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(http.Request.Body, type, http.RequestAborted);
            if (body is null) await OpenAiErrors.BadRequest(http.Response, "the request body must be a JSON object", null, "invalid_json");
            return body;
        }
        catch (JsonException e)
        {
            await OpenAiErrors.InvalidJson(http.Response, e);
            return null;
        }
    }

    private RequestSettings Settings(int? maxTokens, string maxTokensParam, JsonElement? stop, ISamplingFields fields)
    {
        var sampling = RequestReader.Sampling(fields, engine.VocabSize);
        var stops = RequestReader.Stops(stop);
        if (maxTokens is < 1) throw new InvalidRequestException($"{maxTokensParam} must be at least 1", maxTokensParam);
        var n = fields.N ?? 1;
        if (n < 1 || n > engine.Admission.Slots)
            throw new InvalidRequestException(
                $"n must be between 1 and {engine.Admission.Slots}, got {n}: each choice takes one of this agent's {engine.Admission.Slots} slots " +
                "(FLEET_PARALLEL_SLOTS); ask for fewer choices or send several requests", "n");
        return new RequestSettings(maxTokens ?? options.MaxTokensDefault, stops, sampling, n);
    }

    /// <summary>
    /// Refuses a prompt too large to fit before tokenizing it, takes an admission (slots + queue, or 429) that
    /// tokenization already counts against, tokenizes (cancelled with the client or the drain) and enqueues.
    /// </summary>
    private async Task<GenerationRequest?> AdmitAsync(HttpContext http, long promptBytes, string param, RequestSettings settings,
        Func<CancellationToken, Task<PreparedPrompt>> prepare)
    {
        var response = http.Response;
        if (promptBytes > engine.MaxPromptBytes)
        {
            await OpenAiErrors.ContextExceeded(response,
                $"the prompt is {promptBytes} bytes; a slot holds {engine.SlotContext} tokens (FLEET_CONTEXT_SIZE / FLEET_PARALLEL_SLOTS) " +
                $"and this agent reads at most {engine.MaxPromptBytes} bytes of prompt (no token of this model covers more than " +
                $"{engine.LongestTokenBytes} bytes; FLEET_MAX_PROMPT_BYTES caps it): shorten the prompt", param);
            return null;
        }

        if (!engine.Admission.TryEnter(settings.Choices))
        {
            LogQueueFull(logger, engine.Admission.Slots, engine.Admission.QueueLimit);
            await OpenAiErrors.WriteAsync(response, StatusCodes.Status429TooManyRequests,
                $"all {engine.Admission.Slots} slots are busy and the queue ({engine.Admission.QueueLimit}) is full; retry later",
                "rate_limit_error", "queue_full", null, 1);
            return null;
        }

        PreparedPrompt prompt;
        try
        {
            prompt = await prepare(http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            engine.Admission.Leave(settings.Choices);
            if (!http.RequestAborted.IsCancellationRequested) await Draining(response); // cut by the drain, not the client
            return null;
        }
        catch
        {
            engine.Admission.Leave(settings.Choices);
            throw;
        }

        if (prompt.MaxNewTokens < 1)
        {
            engine.Admission.Leave(settings.Choices);
            var count = prompt.Tokens.Length > engine.SlotContext ? $"more than {engine.SlotContext}" : $"{prompt.Tokens.Length}";
            await OpenAiErrors.ContextExceeded(response,
                $"the prompt has {count} tokens; a slot holds {engine.SlotContext} (FLEET_CONTEXT_SIZE / FLEET_PARALLEL_SLOTS), " +
                "prompt and answer together: shorten the prompt", param);
            return null;
        }

        var limit = Math.Min(settings.MaxTokens, prompt.MaxNewTokens);
        var request = new GenerationRequest(prompt.Tokens, limit, settings.Stops, settings.Sampling, time.GetTimestamp(), http.RequestAborted)
        {
            Choices = settings.Choices,
            TopLogprobs = settings.TopLogprobs,
        };
        var places = settings.Choices;
        request.OnRelease(() => engine.Admission.Leave(places));
        engine.Enqueue(request);
        return request;
    }

    private static string NextId(string prefix) => $"{prefix}{IdPrefix}{Interlocked.Increment(ref _sequence):x}";

    private sealed record RequestSettings(int MaxTokens, List<string> Stops, SamplingSettings Sampling, int Choices)
    {
        public int? TopLogprobs { get; init; }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "request {RequestId} failed")]
    private static partial void LogFailed(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "queue full ({Slots} slots busy, {QueueLimit} queued): answered 429")]
    private static partial void LogQueueFull(ILogger logger, int slots, int queueLimit);
}
