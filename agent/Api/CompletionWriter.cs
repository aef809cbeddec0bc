using System.Text;
using System.Text.Json;
using Fleet.Agent.Inference;
using Microsoft.AspNetCore.Http;

namespace Fleet.Agent.Api;

/// <summary>
/// Writes a generation as one OpenAI JSON body, or as SSE chunks ending in <c>data: [DONE]</c>. Each choice of an
/// n &gt; 1 request carries its own <c>index</c>; streamed chunks each belong to one choice.
/// </summary>
internal static class CompletionWriter
{
    public static async Task CollectAsync(HttpContext http, GenerationRequest request, CompletionReply reply)
    {
        var texts = Enumerable.Range(0, reply.Choices).Select(_ => new StringBuilder()).ToArray();
        var logprobs = Enumerable.Range(0, reply.Choices).Select(_ => new List<TokenLogprob>()).ToArray();
        try
        {
            await foreach (var piece in request.Output.ReadAllAsync(http.RequestAborted))
            {
                texts[piece.Choice].Append(piece.Text);
                if (piece.Logprobs is { } entries) logprobs[piece.Choice].AddRange(entries);
            }
        }
        catch (OperationCanceledException)
        {
            // Client gone: the loop completes the request (at its next step, or when it reaches the front of the
            // queue) and only then frees its admission, so the queue bound also bounds abandoned requests.
            return;
        }

        var result = await request.Result;
        if (await FailedAsync(http, result)) return;
        var usage = Usage(result);
        http.Response.ContentType = "application/json";
        if (reply.Chat)
        {
            var choices = result.Choices.Select((c, i) => new ChatChoice(i, new ChatMessageOut("assistant", texts[i].ToString()), null,
                FinishName(c.Finish), reply.Logprobs ? LogprobsMapper.Chat(logprobs[i]) : null)).ToList();
            var body = new ChatCompletionResponse(reply.Id, "chat.completion", reply.Created, reply.Model, choices, usage);
            await JsonSerializer.SerializeAsync(http.Response.Body, body, OpenAiJsonContext.Default.ChatCompletionResponse);
        }
        else
        {
            var choices = result.Choices.Select((c, i) =>
            {
                var offset = reply.PromptChars;
                return new TextChoice(i, texts[i].ToString(), FinishName(c.Finish), reply.Logprobs ? LogprobsMapper.Text(logprobs[i], ref offset) : null);
            }).ToList();
            var body = new TextCompletionResponse(reply.Id, "text_completion", reply.Created, reply.Model, choices, usage);
            await JsonSerializer.SerializeAsync(http.Response.Body, body, OpenAiJsonContext.Default.TextCompletionResponse);
        }
    }

    public static async Task StreamAsync(HttpContext http, GenerationRequest request, CompletionReply reply, bool includeUsage)
    {
        var response = http.Response;
        var ct = http.RequestAborted;
        var offsets = Enumerable.Repeat(reply.PromptChars, reply.Choices).ToArray();
        try
        {
            SseWriter.Start(response);
            if (reply.Chat)
                for (var i = 0; i < reply.Choices; i++)
                    SseWriter.Write(response, ChatChunk(reply, i, new ChatMessageOut("assistant", ""), null), OpenAiJsonContext.Default.ChatCompletionResponse);
            await SseWriter.FlushAsync(response, ct);
            var output = request.Output;
            while (await output.WaitToReadAsync(ct))
            {
                // Send everything already generated in one flush: fewer syscalls when tokens come faster than the network.
                while (output.TryRead(out var piece)) WritePiece(response, reply, piece, offsets);
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
                for (var i = 0; i < result.Choices.Count; i++)
                    SseWriter.Write(response, ChatChunk(reply, i, new ChatMessageOut(null, null), FinishName(result.Choices[i].Finish)),
                        OpenAiJsonContext.Default.ChatCompletionResponse);
                if (includeUsage)
                    SseWriter.Write(response, new ChatCompletionResponse(reply.Id, "chat.completion.chunk", reply.Created, reply.Model, [], Usage(result)),
                        OpenAiJsonContext.Default.ChatCompletionResponse);
            }
            else
            {
                for (var i = 0; i < result.Choices.Count; i++)
                    SseWriter.Write(response, TextChunk(reply, i, "", FinishName(result.Choices[i].Finish)), OpenAiJsonContext.Default.TextCompletionResponse);
                if (includeUsage)
                    SseWriter.Write(response, new TextCompletionResponse(reply.Id, "text_completion", reply.Created, reply.Model, [], Usage(result)),
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

    private static void WritePiece(HttpResponse response, CompletionReply reply, GenerationPiece piece, int[] offsets)
    {
        var entries = reply.Logprobs ? piece.Logprobs ?? [] : null;
        if (reply.Chat)
            SseWriter.Write(response, ChatChunk(reply, piece.Choice, new ChatMessageOut(null, piece.Text), null,
                entries is null ? null : LogprobsMapper.Chat(entries)), OpenAiJsonContext.Default.ChatCompletionResponse);
        else
            SseWriter.Write(response, TextChunk(reply, piece.Choice, piece.Text, null,
                entries is null ? null : LogprobsMapper.Text(entries, ref offsets[piece.Choice])), OpenAiJsonContext.Default.TextCompletionResponse);
    }

    private static ChatCompletionResponse ChatChunk(CompletionReply reply, int choice, ChatMessageOut delta, string? finish,
        ChatLogprobsDto? logprobs = null) =>
        new(reply.Id, "chat.completion.chunk", reply.Created, reply.Model, [new ChatChoice(choice, null, delta, finish, logprobs)], null);

    private static TextCompletionResponse TextChunk(CompletionReply reply, int choice, string text, string? finish, TextLogprobsDto? logprobs = null) =>
        new(reply.Id, "text_completion", reply.Created, reply.Model, [new TextChoice(choice, text, finish, logprobs)], null);

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

    private static UsageDto Usage(GenerationResult r) =>
        new(r.PromptTokens, r.CompletionTokens, r.PromptTokens + r.CompletionTokens, new PromptTokensDetailsDto(r.CachedTokens));

    private static string FinishName(FinishReason reason) => reason == FinishReason.Length ? "length" : "stop";
}
