namespace Fleet.Stacks.Scaling;

/// <summary>A scale or node action: what was accepted (202), or why not.</summary>
public sealed record ActionOutcome<T>(T? Accepted, ActionRefusal? Refusal) where T : class
{
    public static ActionOutcome<T> Of(T accepted) => new(accepted, null);

    public static ActionOutcome<T> Refused(ActionRefusal refusal) => new(null, refusal);

    public static ActionOutcome<T> Refused(int status, string code, string message, string? field = null) =>
        new(null, new ActionRefusal(status, new Hosting.ApiError(code, message, field)));
}
