using System.Text;
using System.Text.Json;
using Fleet.Agent.Inference;
using Microsoft.AspNetCore.Http;

namespace Fleet.Agent.Api;

/// <summary>Writes a generation as one OpenAI JSON body, or as SSE chunks ending in <c>data: [DONE]</c>.</summary>
internal static class CompletionWriter
{
    public static async Task CollectAsync(HttpContext http, GenerationRequest request, CompletionReply reply)
    {
        var text = new StringBuilder();
        try
        {
            await foreach (var piece in request.Output.ReadAllAsync(http.RequestAborted)) text.Append(piece);
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

    public static async Task StreamAsync(HttpContext http, GenerationRequest request, CompletionReply reply, bool includeUsage)
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
            // client gone; the loop completes the request and frees its admission (see above)
        }
    }

    private static void WritePiece(HttpResponse response, CompletionReply reply, string piece)
    {
        if (reply.Chat) SseWriter.Write(response, ChatChunk(reply, new ChatMessageOut(null, piece), null), OpenAiJsonContext.Default.ChatCompletionResponse);
        else SseWriter.Write(response, TextChunk(reply, piece, null), OpenAiJsonContext.Default.TextCompletionResponse);
    }

    private static ChatCompletionResponse ChatChunk(CompletionReply reply, ChatMessageOut delta, string? finish) =>
        new(reply.Id, "chat.completion.chunk", reply.Created, reply.Model, [new ChatChoice(0, null, delta, finish)], null);

    private static TextCompletionResponse TextChunk(CompletionReply reply, string text, string? finish) =>
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

}
