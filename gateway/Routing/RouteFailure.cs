namespace Fleet.Gateway.Routing;

/// <summary>Why no node was given.</summary>
public enum RouteFailure
{
    /// <summary>A node was given.</summary>
    None,
    /// <summary>No node that is not dead serves the model.</summary>
    UnknownModel,
    /// <summary>Nodes serve the model but none had room within the hold time (or too many were waiting).</summary>
    NoCapacity,
    /// <summary>A configured model had no ready node within the scale-from-zero hold (or too many were held).</summary>
    NotReady,
}
