namespace Fleet.Stacks.Hosting;

/// <summary>One pool: <c>desired</c> (last accepted target, null if never scaled), <c>configured</c> ids (working copy), <c>deployed</c> ids (last <c>pools</c> output).</summary>
public sealed record PoolView(string Pool, bool Managed, bool Autoscale, int Min, int Max, int? Desired, IReadOnlyList<string> Configured, IReadOnlyList<string>? Deployed);
