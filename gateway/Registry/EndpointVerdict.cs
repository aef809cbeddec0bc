namespace Fleet.Gateway.Registry;

/// <summary>
/// The outcome of <see cref="AdvertisedEndpoint.Check"/>: the canonical endpoint to store, or why not — malformed
/// (<see cref="IsForbidden"/> false: 400) or not this node's to claim (true: 403).
/// </summary>
public sealed record EndpointVerdict(string? Endpoint, string? Problem, bool IsForbidden)
{
    /// <summary>The node may be reached at <paramref name="endpoint"/>.</summary>
    public static EndpointVerdict Allowed(string endpoint) => new(endpoint, null, false);

    /// <summary>The endpoint is not a well-formed agent address.</summary>
    public static EndpointVerdict Invalid(string problem) => new(null, problem, false);

    /// <summary>The endpoint is well formed but not this node's to advertise.</summary>
    public static EndpointVerdict Forbidden(string problem) => new(null, problem, true);
}
