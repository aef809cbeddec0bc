namespace Fleet.Agent.Hosting;

/// <summary>Records why the agent gave up starting, so <c>Main</c> can return the matching exit code.</summary>
public sealed class StartupFailure
{
    public string? Reason { get; private set; }
    public int ExitCode { get; private set; }

    public void Fail(int exitCode, string reason)
    {
        ExitCode = exitCode;
        Reason = reason;
    }
}
