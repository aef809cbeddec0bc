namespace Fleet.Infra.AppLayer;

/// <summary>
/// Caddy's Prometheus metrics for <c>fleet:observability</c>: HTTP metrics switched on for every server, and a site of
/// its own on <paramref name="Port"/> that serves only <c>/metrics</c> (the admin API stays off).
/// </summary>
/// <param name="Bind">The address that site binds to: <c>127.0.0.1</c> where Caddy shares the manager's network (k3s);
/// null inside a Swarm task, whose own network namespace is reached only through the port the service publishes.</param>
public sealed record CaddyMetrics(int Port, string? Bind);
