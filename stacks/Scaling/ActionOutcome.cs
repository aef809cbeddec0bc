namespace Fleet.Stacks.Scaling;

/// <summary>A scale or node action: what was accepted (202), or why not.</summary>
public sealed record ActionOutcome<T>(T? Accepted, ActionRefusal? Refusal) where T : class
{
    /// <summary>Accepted: answered 202 with <paramref name="accepted"/>.</summary>
    public static ActionOutcome<T> Of(T accepted) => new(accepted, null);

    /// <summary>Refused as another step already decided (status and error passed on unchanged).</summary>
    public static ActionOutcome<T> Refused(ActionRefusal refusal) => new(null, refusal);

    /// <summary>Refused with <paramref name="status"/> and an error naming <paramref name="field"/> and the fix.</summary>
    public static ActionOutcome<T> Refused(int status, string code, string message, string? field = null) =>
        new(null, new ActionRefusal(status, new Hosting.ApiError(code, message, field)));
}
