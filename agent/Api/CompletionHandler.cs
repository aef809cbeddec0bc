using System.Security.Cryptography;
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

    public Task ChatAsync(HttpContext http) => GuardedAsync(http, "chat_completions", ChatCoreAsync);

    public Task CompletionsAsync(HttpContext http) => GuardedAsync(http, "completions", CompletionsCoreAsync);

    /// <summary>Counts the request, and turns an unexpected failure before the response started into an OpenAI-shaped 500.</summary>
    private async Task GuardedAsync(HttpContext http, string endpoint, Func<HttpContext, Task> handle)
    {
        try
        {
            await handle(http);
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            // e.g. a chat template llama.cpp's built-in set does not know: answer in the OpenAI shape, not a bare 500.
            LogFailed(logger, e);
            await OpenAiErrors.WriteAsync(http.Response, StatusCodes.Status500InternalServerError,
                $"the agent could not handle this request: {e.Message}", "server_error");
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

        PreparedPrompt prompt;
        try
        {
            prompt = engine.PrepareChat(turns);
        }
        catch (LLama.Exceptions.MissingTemplateException)
        {
            await OpenAiErrors.WriteAsync(http.Response, StatusCodes.Status500InternalServerError,
                "this model's tokenizer.chat_template is not one of llama.cpp's built-in templates, so the agent cannot build " +
                "a chat prompt; use /v1/completions with a prompt formatted by the client", "server_error", "chat_template_unsupported");
            return;
        }

        var request = await AdmitAsync(http, prompt, body.MaxCompletionTokens ?? body.MaxTokens, body.Stop,
            body.Temperature, body.TopP, body.Seed, body.N);
        if (request is null) return;
        var reply = new CompletionReply(NextId("chatcmpl-"), time.GetUtcNow().ToUnixTimeSeconds(), engine.Model!.Id, Chat: true);
        if (body.Stream == true) await CompletionWriter.StreamAsync(http, request, reply, body.StreamOptions?.IncludeUsage == true);
        else await CompletionWriter.CollectAsync(http, request, reply);
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
        var reply = new CompletionReply(NextId("cmpl-"), time.GetUtcNow().ToUnixTimeSeconds(), engine.Model!.Id, Chat: false);
        if (body.Stream == true) await CompletionWriter.StreamAsync(http, request, reply, body.StreamOptions?.IncludeUsage == true);
        else await CompletionWriter.CollectAsync(http, request, reply);
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

    private static string NextId(string prefix) => $"{prefix}{IdPrefix}{Interlocked.Increment(ref _sequence):x}";

    [LoggerMessage(Level = LogLevel.Error, Message = "request failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "queue full ({Slots} slots busy, {QueueLimit} queued): answered 429")]
    private static partial void LogQueueFull(ILogger logger, int slots, int queueLimit);
}
