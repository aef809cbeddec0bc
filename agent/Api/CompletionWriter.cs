using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Fleet.Agent.Inference;
using Microsoft.AspNetCore.Http;

namespace Fleet.Agent.Api;

/// <summary>
/// Writes a generation as one OpenAI JSON body, or as SSE chunks ending in <c>data: [DONE]</c>. Each choice (of every
/// prompt of the reply, then of n) carries its own <c>index</c>; streamed chunks each belong to one choice. With tools
/// the answer is read in the family's call format (<see cref="ToolCallParser"/>).
/// </summary>
internal static class CompletionWriter
{
    public static async Task CollectAsync(HttpContext http, CompletionReply reply)
    {
        var texts = Enumerable.Range(0, reply.Choices).Select(_ => new StringBuilder()).ToArray();
        var logprobs = Enumerable.Range(0, reply.Choices).Select(_ => new List<TokenLogprob>()).ToArray();
        try
        {
            foreach (var part in reply.Parts)
                await foreach (var piece in part.Request.Output.ReadAllAsync(http.RequestAborted))
                {
                    texts[part.FirstChoice + piece.Choice].Append(piece.Text);
                    if (piece.Logprobs is { } entries) logprobs[part.FirstChoice + piece.Choice].AddRange(entries);
                }
        }
        catch (OperationCanceledException)
        {
            // Client gone: the loop completes the request (at its next step, or when it reaches the front of the
            // queue) and only then frees its admission, so the queue bound also bounds abandoned requests.
            return;
        }

        var results = await ResultsAsync(reply);
        if (await FailedAsync(http, results)) return;
        var usage = Usage(results);
        var finishes = Finishes(reply, results);
        http.Response.ContentType = "application/json";
        if (reply.Chat)
        {
            var choices = finishes.Select((finish, i) =>
            {
                var text = texts[i].ToString();
                var calls = reply.Tools is { } format ? ToolCallParser.Parse(format, text) : null;
                var message = calls is null
                    ? new ChatMessageOut("assistant", text)
                    : new ChatMessageOut("assistant", null, [.. calls.Select((c, k) => Call(reply, i, k, c.Name, c.Arguments, streamed: false))]);
                return new ChatChoice(i, message, null, FinishName(finish, calls is not null), reply.Logprobs ? LogprobsMapper.Chat(logprobs[i]) : null);
            }).ToList();
            var body = new ChatCompletionResponse(reply.Id, "chat.completion", reply.Created, reply.Model, choices, usage);
            await JsonSerializer.SerializeAsync(http.Response.Body, body, OpenAiJsonContext.Default.ChatCompletionResponse);
        }
        else
        {
            var offsets = PromptOffsets(reply);
            var choices = finishes.Select((finish, i) => new TextChoice(i, texts[i].ToString(), FinishName(finish, false),
                reply.Logprobs ? LogprobsMapper.Text(logprobs[i], ref offsets[i]) : null)).ToList();
            var body = new TextCompletionResponse(reply.Id, "text_completion", reply.Created, reply.Model, choices, usage);
            await JsonSerializer.SerializeAsync(http.Response.Body, body, OpenAiJsonContext.Default.TextCompletionResponse);
        }
    }

    public static async Task StreamAsync(HttpContext http, CompletionReply reply, bool includeUsage)
    {
        var response = http.Response;
        var ct = http.RequestAborted;
        var offsets = PromptOffsets(reply);
        var tools = reply.Chat && reply.Tools is { } format
            ? Enumerable.Range(0, reply.Choices).Select(_ => new ToolCallStream(format)).ToArray()
            : null;
        try
        {
            SseWriter.Start(response);
            if (reply.Chat)
                for (var i = 0; i < reply.Choices; i++)
                    SseWriter.Write(response, ChatChunk(reply, i, new ChatDeltaOut("assistant", ""), null), OpenAiJsonContext.Default.ChatCompletionResponse);
            await SseWriter.FlushAsync(response, ct);
            if (reply.Parts.Count == 1)
            {
                var output = reply.Parts[0].Request.Output;
                while (await output.WaitToReadAsync(ct))
                {
                    // Send everything already generated in one flush: fewer syscalls when tokens come faster than the network.
                    while (output.TryRead(out var piece)) WritePiece(response, reply, piece.Choice, piece, offsets, tools);
                    await SseWriter.FlushAsync(response, ct);
                }
            }
            else
            {
                var merged = Merge(reply, ct);
                while (await merged.WaitToReadAsync(ct))
                {
                    while (merged.TryRead(out var item)) WritePiece(response, reply, item.Choice, item.Piece, offsets, tools);
                    await SseWriter.FlushAsync(response, ct);
                }
            }

            var results = await ResultsAsync(reply);
            if (results.Any(r => r.Finish == FinishReason.Cancelled)) return;
            if (results.FirstOrDefault(r => r.Finish == FinishReason.Error) is { } failed)
            {
                // Headers are gone already: report in-band, the way OpenAI does mid-stream.
                SseWriter.Write(response, new ErrorResponse(new ErrorBody(failed.Error ?? "generation failed", "server_error", null, null)),
                    OpenAiJsonContext.Default.ErrorResponse);
            }
            else if (reply.Chat)
            {
                var finishes = Finishes(reply, results);
                for (var i = 0; i < finishes.Count; i++)
                {
                    if (tools is not null) WriteToolOutput(response, reply, i, tools[i].Finish());
                    SseWriter.Write(response, ChatChunk(reply, i, new ChatDeltaOut(null, null), FinishName(finishes[i], tools?[i].CallsSent > 0)),
                        OpenAiJsonContext.Default.ChatCompletionResponse);
                }

                if (includeUsage)
                    SseWriter.Write(response, new ChatCompletionResponse(reply.Id, "chat.completion.chunk", reply.Created, reply.Model, [], Usage(results)),
                        OpenAiJsonContext.Default.ChatCompletionResponse);
            }
            else
            {
                var finishes = Finishes(reply, results);
                for (var i = 0; i < finishes.Count; i++)
                    SseWriter.Write(response, TextChunk(reply, i, "", FinishName(finishes[i], false)), OpenAiJsonContext.Default.TextCompletionResponse);
                if (includeUsage)
                    SseWriter.Write(response, new TextCompletionResponse(reply.Id, "text_completion", reply.Created, reply.Model, [], Usage(results)),
                        OpenAiJsonContext.Default.TextCompletionResponse);
            }

            SseWriter.WriteDone(response);
            await SseWriter.FlushAsync(response, ct);
        }
        catch (OperationCanceledException)
        {
            // client gone; the loop completes the request and frees its admission (see above)
        }
    }

    /// <summary>
    /// The pieces of several requests (an array of prompts) as one sequence numbered by reply choice. The channel is
    /// bounded, so a slow client still backs up into each request (whose slot then pauses).
    /// </summary>
    private static ChannelReader<(int Choice, GenerationPiece Piece)> Merge(CompletionReply reply, CancellationToken ct)
    {
        var merged = Channel.CreateBounded<(int, GenerationPiece)>(new BoundedChannelOptions(64) { SingleReader = true });
        var pumps = reply.Parts.Select(async part =>
        {
            await foreach (var piece in part.Request.Output.ReadAllAsync(ct))
                await merged.Writer.WriteAsync((part.FirstChoice + piece.Choice, piece), ct);
        }).ToList();
        _ = Task.WhenAll(pumps).ContinueWith(t => merged.Writer.TryComplete(t.Exception?.InnerException), TaskScheduler.Default);
        return merged.Reader;
    }

    private static void WritePiece(HttpResponse response, CompletionReply reply, int choice, GenerationPiece piece, int[] offsets,
        ToolCallStream[]? tools)
    {
        if (tools is not null)
        {
            WriteToolOutput(response, reply, choice, tools[choice].Push(piece.Text, reply.Logprobs ? piece.Logprobs ?? [] : null));
            return;
        }

        var entries = reply.Logprobs ? piece.Logprobs ?? [] : null;
        if (reply.Chat)
            SseWriter.Write(response, ChatChunk(reply, choice, new ChatDeltaOut(null, piece.Text), null,
                entries is null ? null : LogprobsMapper.Chat(entries)), OpenAiJsonContext.Default.ChatCompletionResponse);
        else
            SseWriter.Write(response, TextChunk(reply, choice, piece.Text, null,
                entries is null ? null : LogprobsMapper.Text(entries, ref offsets[choice])), OpenAiJsonContext.Default.TextCompletionResponse);
    }

    private static void WriteToolOutput(HttpResponse response, CompletionReply reply, int choice, ToolCallStream.Output output)
    {
        var logprobs = reply.Logprobs && output.Logprobs is { Count: > 0 } entries ? LogprobsMapper.Chat(entries) : null;
        if (output.Calls.Count > 0)
            SseWriter.Write(response, ChatChunk(reply, choice,
                new ChatDeltaOut(null, null, [.. output.Calls.Select(c => Call(reply, choice, c.Index, c.Name, c.Arguments, streamed: true))]),
                null, logprobs), OpenAiJsonContext.Default.ChatCompletionResponse);
        else if (output.Content is { Length: > 0 } || logprobs is not null)
            SseWriter.Write(response, ChatChunk(reply, choice, new ChatDeltaOut(null, output.Content ?? ""), null, logprobs),
                OpenAiJsonContext.Default.ChatCompletionResponse);
    }

    private static ToolCallOut Call(CompletionReply reply, int choice, int index, string name, string arguments, bool streamed) =>
        new(streamed ? index : null, $"call_{reply.Id[(reply.Id.IndexOf('-') + 1)..]}_{choice}_{index}", "function", new FunctionCallOut(name, arguments));

    private static ChatCompletionResponse ChatChunk(CompletionReply reply, int choice, ChatDeltaOut delta, string? finish,
        ChatLogprobsDto? logprobs = null) =>
        new(reply.Id, "chat.completion.chunk", reply.Created, reply.Model, [new ChatChoice(choice, null, delta, finish, logprobs)], null);

    private static TextCompletionResponse TextChunk(CompletionReply reply, int choice, string text, string? finish, TextLogprobsDto? logprobs = null) =>
        new(reply.Id, "text_completion", reply.Created, reply.Model, [new TextChoice(choice, text, finish, logprobs)], null);

    private static async Task<GenerationResult[]> ResultsAsync(CompletionReply reply)
    {
        var results = new GenerationResult[reply.Parts.Count];
        for (var i = 0; i < results.Length; i++) results[i] = await reply.Parts[i].Request.Result;
        return results;
    }

    private static List<FinishReason> Finishes(CompletionReply reply, GenerationResult[] results) =>
        [.. reply.Parts.SelectMany((part, p) => results[p].Choices.Select(c => c.Finish))];

    private static int[] PromptOffsets(CompletionReply reply) =>
        [.. reply.Parts.SelectMany(part => Enumerable.Repeat(part.PromptChars, part.Request.Choices))];

    private static async Task<bool> FailedAsync(HttpContext http, GenerationResult[] results)
    {
        if (results.Any(r => r.Finish == FinishReason.Cancelled)) return true;
        if (results.FirstOrDefault(r => r.Finish == FinishReason.Error) is not { } failed) return false;
        await OpenAiErrors.WriteAsync(http.Response, StatusCodes.Status500InternalServerError, failed.Error ?? "generation failed", "server_error");
        return true;
    }

    private static UsageDto Usage(GenerationResult[] results)
    {
        int prompt = results.Sum(r => r.PromptTokens), completion = results.Sum(r => r.CompletionTokens);
        return new UsageDto(prompt, completion, prompt + completion, new PromptTokensDetailsDto(results.Sum(r => r.CachedTokens)));
    }

    private static string FinishName(FinishReason reason, bool calls) =>
        reason == FinishReason.Length ? "length" : calls ? "tool_calls" : "stop";
}
