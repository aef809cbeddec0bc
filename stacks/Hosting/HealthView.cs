namespace Fleet.Stacks.Hosting;

/// <summary><c>GET /health</c>.</summary>
public sealed record HealthView(string Status, IReadOnlyList<string> Stacks, string Database);
