namespace Fleet.Infra.Tests.Evaluation;

/// <summary>A bare <c>${name}</c> reference to a resource (providers, dependsOn).</summary>
public sealed record ResourceRef(string Name);
