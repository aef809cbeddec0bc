using Fleet.Stacks.Scaling;

namespace Fleet.Stacks.Console;

/// <summary>
/// <c>X-Fleet-Request-Id</c>: the page's id for one submission (<c>crypto.randomUUID()</c>), so a repeat (double click,
/// retry) returns the first operation. Kept with the webhook delivery ids, prefixed <c>console:</c>.
/// </summary>
public static class ConsoleRequestId
{
    public const string Header = "X-Fleet-Request-Id";

    /// <summary>Null when the id is absent or well formed.</summary>
    public static ActionRefusal? Refusal(string? id) =>
        id is null || (id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            ? null
            : new ActionRefusal(400, new Hosting.ApiError("invalid_request_id", $"{Header} is 1–64 letters, digits or dashes (the page sends crypto.randomUUID())", Header));

    /// <summary>The key the store dedupes on, or null without an id.</summary>
    public static string? Key(string? id) => id is null ? null : $"console:{id}";
}
