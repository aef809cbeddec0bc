using System.Text.Json;

namespace Fleet.Agent.Api;

/// <summary>A chat message; content is a string or a list of text parts.</summary>
public sealed record ChatMessageDto
{
    public string? Role { get; init; }
    public JsonElement? Content { get; init; }
}
