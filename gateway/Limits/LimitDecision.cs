namespace Fleet.Gateway.Limits;

/// <summary>Whether a key may send a request now; when not, which limit and for how long.</summary>
public readonly record struct LimitDecision(bool Allowed, string? Limit, TimeSpan RetryAfter)
{
    /// <summary>The request may go.</summary>
    public static LimitDecision Allow => new(true, null, TimeSpan.Zero);

    /// <summary>The limit a client is refused by when the gateway tracks <c>FLEET_MAX_CLIENTS</c> clients already.</summary>
    public const string ClientsLimit = "clients";

    /// <summary>A client not yet tracked, refused at the cap on tracked clients (503 <c>too_many_clients</c>).</summary>
    public static LimitDecision TooManyClients => new(false, ClientsLimit, TimeSpan.FromSeconds(10));
}
