using System.Text.Json.Serialization;

namespace Fleet.Stacks.Hosting;

/// <summary>Every error answer: a code, a message that says what to fix, and the request field at fault when there is one.</summary>
public sealed record ApiError(string Code, string Message, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Field = null);
