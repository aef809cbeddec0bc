using System.Text.Json;
using System.Text.RegularExpressions;
using Fleet.Agent.Grammars;
using Fleet.Agent.Inference.Templates;

namespace Fleet.Agent.Api;

/// <summary>
/// Reads <c>tools</c>, <c>tool_choice</c> (<c>auto</c>, <c>none</c>, <c>required</c> or a named function) and
/// <c>parallel_tool_calls</c> into a <see cref="ToolPlan"/>; anything it cannot serve is a 400 naming the field.
/// </summary>
internal static partial class ToolChoices
{
    /// <summary>Most tools in one request: every one is written into the prompt and into the grammar.</summary>
    public const int MaxTools = 128;

    public static ToolPlan Read(ChatCompletionRequest body, ChatFormat format)
    {
        if (body.Tools is not { Count: > 0 } tools)
        {
            if (body.ToolChoice is { ValueKind: not JsonValueKind.Null })
                throw new InvalidRequestException("tool_choice needs tools: offer at least one tool, or leave tool_choice out", "tool_choice");
            return ToolPlan.None;
        }

        if (tools.Count > MaxTools)
            throw new InvalidRequestException($"tools holds {tools.Count} tools; this agent takes at most {MaxTools} in one request", "tools");
        var offered = new List<(ChatTool Tool, JsonElement Parameters, string Path)>(tools.Count);
        for (var i = 0; i < tools.Count; i++) offered.Add(Tool(tools[i], i, offered));

        var (mode, named) = Choice(body.ToolChoice, offered);
        if (mode == "none") return ToolPlan.None;
        if (format.ToolFormat is not { } callFormat)
            throw new InvalidRequestException(
                $"tools: this model's chat template ({format.Name}) has no tool-call format; the agent writes tool calls for " +
                "ChatML (Hermes/Qwen) and Llama 3.1+ templates: leave tools out, set tool_choice to none, or serve a model with one of those templates",
                "tools", RequestReader.UnsupportedCode);
        if (body.ResponseFormat is { Type: not (null or "text") })
            throw new InvalidRequestException(
                "response_format and tools both constrain the answer and cannot be combined: leave one out, or set tool_choice to none",
                "response_format", RequestReader.UnsupportedCode);

        var callable = named is null ? offered : offered.Where(t => t.Tool.Name == named).ToList();
        try
        {
            var grammar = ToolCallGrammar.Build(callFormat, [.. callable.Select(t => (t.Tool.Name, t.Parameters, t.Path))],
                required: mode != "auto", parallel: body.ParallelToolCalls ?? true);
            return new ToolPlan([.. offered.Select(t => t.Tool)], grammar, callFormat);
        }
        catch (UnsupportedSchemaException e)
        {
            var param = callable.First(t => e.Path.StartsWith(t.Path, StringComparison.Ordinal)).Path;
            throw new InvalidRequestException(
                $"{param}: {e.Message}; this agent constrains arguments to type, properties, required, additionalProperties: false, " +
                "items, enum and const (plus annotations such as description): remove or rewrite it", param, RequestReader.UnsupportedCode);
        }
    }

    private static (ChatTool Tool, JsonElement Parameters, string Path) Tool(ToolDto? tool, int i,
        List<(ChatTool Tool, JsonElement Parameters, string Path)> earlier)
    {
        var at = $"tools[{i}]";
        if (tool is null) throw new InvalidRequestException($"{at} must be an object", at);
        RequestReader.Unsupported(tool.Unsupported, at + ".");
        if (tool.Type != "function")
            throw new InvalidRequestException($"{at}.type must be \"function\" (the only tool type), got {Shown(tool.Type)}", at + ".type");
        var function = tool.Function ?? throw new InvalidRequestException($"{at}.function is required", at + ".function");
        RequestReader.Unsupported(function.Unsupported, at + ".function.");
        if (function.Name is not { } name || !NameRegex().IsMatch(name))
            throw new InvalidRequestException(
                $"{at}.function.name must be 1 to 64 letters, digits, underscores or dashes, got {Shown(function.Name)}", at + ".function.name");
        if (earlier.Any(t => t.Tool.Name == name))
            throw new InvalidRequestException($"{at}.function.name \"{name}\" names an earlier tool too: give each tool its own name", at + ".function.name");
        var path = at + ".function.parameters";
        var parameters = function.Parameters is { ValueKind: not JsonValueKind.Null } p ? p : NoParameters.RootElement;
        if (parameters.ValueKind != JsonValueKind.Object)
            throw new InvalidRequestException($"{path} must be a JSON schema object", path);
        var definition = JsonSerializer.SerializeToElement(tool, OpenAiJsonContext.Default.ToolDto);
        return (new ChatTool(name, definition), parameters, path);
    }

    private static (string Mode, string? Named) Choice(JsonElement? choice, List<(ChatTool Tool, JsonElement Parameters, string Path)> offered)
    {
        const string message = "tool_choice must be \"auto\", \"none\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": …}}";
        if (choice is not { } c || c.ValueKind == JsonValueKind.Null) return ("auto", null);
        if (c.ValueKind == JsonValueKind.String)
            return c.GetString() is "auto" or "none" or "required"
                ? (c.GetString()!, null)
                : throw new InvalidRequestException($"{message}, got \"{c.GetString()}\"", "tool_choice");
        if (c.ValueKind != JsonValueKind.Object || !c.TryGetProperty("type", out var type) || !type.ValueEquals("function")
            || !c.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object
            || !function.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
            throw new InvalidRequestException(message, "tool_choice");
        var wanted = name.GetString()!;
        if (offered.All(t => t.Tool.Name != wanted))
            throw new InvalidRequestException(
                $"tool_choice names the function \"{wanted}\", which is not among tools ({string.Join(", ", offered.Select(t => t.Tool.Name))}): " +
                "name one of them", "tool_choice.function.name");
        return ("required", wanted);
    }

    private static string Shown(string? value) => value is null ? "nothing" : $"\"{value}\"";

    private static readonly JsonDocument NoParameters = JsonDocument.Parse("""{"type":"object","properties":{}}""");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex NameRegex();
}
