namespace Fleet.Gateway.Limits;

/// <summary>Whether a key may send a request now; when not, which limit and for how long.</summary>
public readonly record struct LimitDecision(bool Allowed, string? Limit, TimeSpan RetryAfter)
{
    /// <summary>The request may go.</summary>
    public static LimitDecision Allow => new(true, null, TimeSpan.Zero);
}
