namespace Fleet.Stacks.Tests.Support;

/// <summary>One invocation of the fake CLI.</summary>
public sealed record FakeCall(string[] Argv, bool NonInteractive, string? DebugCommands, long StartedAtMs, string[] Environment)
{
    public string Line => string.Join(' ', Argv);

    public override string ToString() => Line;
}
