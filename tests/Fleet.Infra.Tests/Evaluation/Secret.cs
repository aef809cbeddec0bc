namespace Fleet.Infra.Tests.Evaluation;

/// <summary>A value the engine would keep secret (from <c>fn::secret</c>, a secret output, or derived from one).</summary>
public sealed record Secret(object? Value);
