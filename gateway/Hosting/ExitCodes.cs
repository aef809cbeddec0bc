namespace Fleet.Gateway.Hosting;

/// <summary>The gateway process's exit codes: an API for whatever supervises it.</summary>
public static class ExitCodes
{
    /// <summary>Stopped normally.</summary>
    public const int Ok = 0;

    /// <summary>A <c>FLEET_</c> setting is missing or invalid; every problem was printed to stderr.</summary>
    public const int InvalidConfiguration = 2;
}
