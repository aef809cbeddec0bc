namespace Fleet.Agent.Hosting;

/// <summary>The agent's process exit codes (an API for supervisors and tests).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int InvalidConfiguration = 2;
    public const int ModelUnavailable = 3;
    public const int ModelLoadFailed = 4;
    public const int EngineFailed = 5;
}
