using System.Text;
using System.Text.Json;
using Fleet.Agent.Inference;
using Fleet.Agent.Inference.Templates;

namespace Fleet.Agent.Api;

/// <summary>
/// Reads <c>messages</c> into template turns: roles, text content, an assistant's <c>tool_calls</c> and <c>tool</c>
/// results, checked against what the model's template family can write.
/// </summary>
internal static class ChatMessages
{
    public static (List<ChatTurn> Turns, long Bytes) Read(List<ChatMessageDto>? messages, ChatFormat format, ToolPlan tools)
    {
        if (messages is not { Count: > 0 })
            throw new InvalidRequestException("messages must hold at least one message", "messages");
        var turns = new List<ChatTurn>(messages.Count);
        long bytes = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var at = $"messages[{i}]";
            var m = messages[i] ?? throw new InvalidRequestException($"{at} must be an object", at);
            RequestReader.Unsupported(m.Unsupported, at + ".");
            var role = RequestReader.Role(m.Role, at + ".role");
            var content = RequestReader.Content(m.Content, at + ".content");
            bytes += Encoding.UTF8.GetByteCount(content);
            if (m.ToolCallId is not null && role != "tool")
                throw new InvalidRequestException($"{at}.tool_call_id belongs on a tool message only", at + ".tool_call_id");
            List<ChatToolCall>? calls = null;
            if (m.ToolCalls is { Count: > 0 } sent)
            {
                if (role != "assistant") throw new InvalidRequestException($"{at}.tool_calls belongs on an assistant message only", at + ".tool_calls");
                calls = [.. sent.Select((c, j) => Call(c, $"{at}.tool_calls[{j}]"))];
                bytes += calls.Sum(c => Encoding.UTF8.GetByteCount(c.Name) + Encoding.UTF8.GetByteCount(c.Arguments.GetRawText()));
            }

            if ((role == "tool" || calls is not null) && format.ToolFormat is null)
                throw new InvalidRequestException(
                    $"{at}: this model's chat template ({format.Name}) has no tool-call format, so it cannot write tool calls or tool " +
                    "results; the agent writes them for ChatML (Hermes/Qwen) and Llama 3.1+ templates", at, RequestReader.UnsupportedCode);
            if (calls is { Count: > 1 } && format.ToolFormat == ToolCallFormat.Llama3Json)
                throw new InvalidRequestException(
                    $"{at}.tool_calls holds {calls.Count} calls; a Llama 3.1 template writes one call per assistant message: send one",
                    at + ".tool_calls", RequestReader.UnsupportedCode);
            turns.Add(new ChatTurn(role, content) { ToolCalls = calls });
        }

        if (tools.Prompted.Count > 0 && tools.Format == ToolCallFormat.Llama3Json
            && turns.SkipWhile(t => t.Role == "system").Take(1).SingleOrDefault() is not { Role: "user", ToolCalls: null })
            throw new InvalidRequestException(
                "with tools, a Llama 3.1 template writes the tool definitions into the first user message: start the conversation " +
                "(after an optional system message) with a user message", "messages");
        bytes += tools.Prompted.Sum(t => Encoding.UTF8.GetByteCount(t.Definition.GetRawText()));
        return (turns, bytes);
    }

    private static ChatToolCall Call(ToolCallDto? call, string at)
    {
        if (call is null) throw new InvalidRequestException($"{at} must be an object", at);
        RequestReader.Unsupported(call.Unsupported, at + ".");
        if (call.Type is not (null or "function")) throw new InvalidRequestException($"{at}.type must be \"function\"", at + ".type");
        var function = call.Function ?? throw new InvalidRequestException($"{at}.function is required", at + ".function");
        RequestReader.Unsupported(function.Unsupported, at + ".function.");
        if (string.IsNullOrEmpty(function.Name)) throw new InvalidRequestException($"{at}.function.name is required", at + ".function.name");
        const string message = "must be a JSON object written as a string, as the answer's tool_calls carried it";
        try
        {
            using var doc = JsonDocument.Parse(function.Arguments ?? "");
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? new ChatToolCall(function.Name, doc.RootElement.Clone())
                : throw new InvalidRequestException($"{at}.function.arguments {message}", at + ".function.arguments");
        }
        catch (JsonException)
        {
            throw new InvalidRequestException($"{at}.function.arguments {message}", at + ".function.arguments");
        }
    }
}
