namespace Fleet.Infra.Tests.Lifecycle;

/// <summary>One step of an update as the engine runs it: <c>create</c>, <c>update</c>, <c>delete</c>, or the delete of a replaced resource.</summary>
public sealed record EngineStep(string Op, string Name)
{
    public override string ToString() => $"{Op} {Name}";
}
