using System.Text.Json.Serialization;

namespace Fleet.Agent.Api;

/// <summary>The inside of an OpenAI error; <c>param</c> and <c>code</c> are always written, null when they do not apply.</summary>
public sealed record ErrorBody(
    string Message,
    string Type,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Code);
