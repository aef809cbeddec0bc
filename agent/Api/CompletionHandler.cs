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
        var format = engine.ChatFormat;
        var tools = ToolChoices.Read(body, format);
        var (turns, bytes) = ChatMessages.Read(body.Messages, format, tools);

        if (body.TopLogprobs is not null && body.Logprobs != true && body.TopLogprobs != 0)
            throw new InvalidRequestException("top_logprobs needs logprobs: true", "top_logprobs");
        var topLogprobs = body.Logprobs == true ? RequestReader.TopLogprobs(body.TopLogprobs ?? 0, "top_logprobs") : (int?)null;
        if (body.MaxTokens is not null && body.MaxCompletionTokens is not null && body.MaxTokens != body.MaxCompletionTokens)
            throw new InvalidRequestException("max_tokens and max_completion_tokens are the same limit: give one, or both equal", "max_completion_tokens");
        var settings = Settings(body.MaxCompletionTokens ?? body.MaxTokens, body.MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens",
            body.Stop, body);
        settings = settings with { TopLogprobs = topLogprobs };
        if ((tools.Grammar ?? ResponseFormats.Grammar(body.ResponseFormat)) is { } grammar)
            settings = settings with { Sampling = settings.Sampling with { Grammar = grammar } };
        var requests = await AdmitAsync(http, [new PromptSource(bytes, "messages", 0, ct => engine.PrepareChatAsync(turns, ct, tools.Prompted))],
            settings);
        if (requests is null) return;
        var reply = new CompletionReply(NextId("chatcmpl-"), time.GetUtcNow().ToUnixTimeSeconds(), engine.Model!.Id, Chat: true,
            [new ReplyPart(requests[0], 0)], topLogprobs is not null, tools.Format);
        if (body.Stream == true) await CompletionWriter.StreamAsync(http, reply, body.StreamOptions?.IncludeUsage == true);
        else await CompletionWriter.CollectAsync(http, reply);
    }

    private async Task CompletionsCoreAsync(HttpContext http)
    {
        if (!await CheckAvailableAsync(http)) return;
        var body = await ReadAsync(http, OpenAiJsonContext.Default.CompletionRequest);
        if (body is null) return;
        var prompts = RequestReader.Prompts(body.Prompt, engine.VocabSize);
        var topLogprobs = body.Logprobs is { } k ? RequestReader.TopLogprobs(k, "logprobs") : (int?)null;
        if (body.Echo == true) throw RequestReader.NotSupported("echo", "the prompt is not echoed back");
        if (body.BestOf is not (null or 1)) throw RequestReader.NotSupported("best_of", "only best_of 1 (one candidate per request)");
        if (body.Suffix is { Length: > 0 }) throw RequestReader.NotSupported("suffix", "insertion (fill-in-the-middle) is not supported");
        var settings = Settings(body.MaxTokens, "max_tokens", body.Stop, body) with { TopLogprobs = topLogprobs };
        var capacity = engine.Admission.Slots + engine.Admission.QueueLimit;
        if (prompts.Count * settings.Choices > capacity)
            throw new InvalidRequestException(
                $"prompt holds {prompts.Count} prompts × n {settings.Choices} = {prompts.Count * settings.Choices} choices; this agent holds at most " +
                $"{capacity} at once ({engine.Admission.Slots} slots + a queue of {engine.Admission.QueueLimit}; FLEET_PARALLEL_SLOTS, " +
                "FLEET_QUEUE_LIMIT): send fewer prompts per request", "prompt");
        var sources = prompts.Select((p, i) =>
        {
            var param = prompts.Count > 1 ? $"prompt[{i}]" : "prompt";
            return p.Text is { } text
                ? new PromptSource(Encoding.UTF8.GetByteCount(text), param, text.Length, ct => engine.PrepareTextAsync(text, ct))
                : new PromptSource(0, param, 0, _ => Task.FromResult(new PreparedPrompt(p.Tokens!, engine.SlotContext - p.Tokens!.Length)));
        }).ToList();
        var requests = await AdmitAsync(http, sources, settings);
        if (requests is null) return;
        var parts = requests.Select((r, i) => new ReplyPart(r, i * settings.Choices, sources[i].PromptChars)).ToList();
        var reply = new CompletionReply(NextId("cmpl-"), time.GetUtcNow().ToUnixTimeSeconds(), engine.Model!.Id, Chat: false, parts,
            topLogprobs is not null);
        if (body.Stream == true) await CompletionWriter.StreamAsync(http, reply, body.StreamOptions?.IncludeUsage == true);
        else await CompletionWriter.CollectAsync(http, reply);
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
    /// Refuses a prompt too large to fit before tokenizing it, takes an admission (slots + queue, or 429) for every
    /// choice of every prompt that tokenization already counts against, tokenizes (cancelled with the client or the
    /// drain), and enqueues one request per prompt once all of them fit.
    /// </summary>
    private async Task<List<GenerationRequest>?> AdmitAsync(HttpContext http, IReadOnlyList<PromptSource> sources, RequestSettings settings)
    {
        var response = http.Response;
        foreach (var source in sources)
            if (source.Bytes > engine.MaxPromptBytes)
            {
                await OpenAiErrors.ContextExceeded(response,
                    $"the prompt is {source.Bytes} bytes; a slot holds {engine.SlotContext} tokens (FLEET_CONTEXT_SIZE / FLEET_PARALLEL_SLOTS) " +
                    $"and this agent reads at most {engine.MaxPromptBytes} bytes of prompt (no token of this model covers more than " +
                    $"{engine.LongestTokenBytes} bytes; FLEET_MAX_PROMPT_BYTES caps it): shorten the prompt", source.Param);
                return null;
            }

        var places = settings.Choices * sources.Count;
        if (!engine.Admission.TryEnter(places))
        {
            LogQueueFull(logger, engine.Admission.Slots, engine.Admission.QueueLimit);
            await OpenAiErrors.WriteAsync(response, StatusCodes.Status429TooManyRequests,
                $"all {engine.Admission.Slots} slots are busy and the queue ({engine.Admission.QueueLimit}) is full; retry later",
                "rate_limit_error", "queue_full", null, 1);
            return null;
        }

        var prompts = new List<PreparedPrompt>(sources.Count);
        try
        {
            foreach (var source in sources) prompts.Add(await source.Prepare(http.RequestAborted));
        }
        catch (OperationCanceledException)
        {
            engine.Admission.Leave(places);
            if (!http.RequestAborted.IsCancellationRequested) await Draining(response); // cut by the drain, not the client
            return null;
        }
        catch
        {
            engine.Admission.Leave(places);
            throw;
        }

        for (var i = 0; i < prompts.Count; i++)
        {
            var prompt = prompts[i];
            if (prompt.MaxNewTokens >= 1) continue;
            engine.Admission.Leave(places);
            var count = prompt.Tokens.Length > engine.SlotContext ? $"more than {engine.SlotContext}" : $"{prompt.Tokens.Length}";
            await OpenAiErrors.ContextExceeded(response,
                $"the prompt has {count} tokens; a slot holds {engine.SlotContext} (FLEET_CONTEXT_SIZE / FLEET_PARALLEL_SLOTS), " +
                "prompt and answer together: shorten the prompt", sources[i].Param);
            return null;
        }

        var requests = new List<GenerationRequest>(prompts.Count);
        foreach (var prompt in prompts)
        {
            var limit = Math.Min(settings.MaxTokens, prompt.MaxNewTokens);
            var request = new GenerationRequest(prompt.Tokens, limit, settings.Stops, settings.Sampling, time.GetTimestamp(), http.RequestAborted)
            {
                Choices = settings.Choices,
                TopLogprobs = settings.TopLogprobs,
            };
            var choices = settings.Choices;
            request.OnRelease(() => engine.Admission.Leave(choices));
            requests.Add(request);
        }

        foreach (var request in requests) engine.Enqueue(request);
        return requests;
    }

    /// <summary>A prompt to admit: its size in bytes (checked before tokenizing), the field it came from, and how to tokenize it.</summary>
    private sealed record PromptSource(long Bytes, string Param, int PromptChars, Func<CancellationToken, Task<PreparedPrompt>> Prepare);

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
