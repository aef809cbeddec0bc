namespace Fleet.Stacks.Tests.Support;

/// <summary>One invocation of the fake CLI; <c>up</c> and <c>preview</c> carry the stack file they found.</summary>
public sealed record FakeCall(string[] Argv, bool NonInteractive, string? DebugCommands, long StartedAtMs, string[] Environment, string? StackFile = null)
{
    public string Line => string.Join(' ', Argv);

    public override string ToString() => Line;
}
