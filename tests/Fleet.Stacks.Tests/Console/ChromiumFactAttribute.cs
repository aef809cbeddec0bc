namespace Fleet.Stacks.Tests.Console;

/// <summary>A test that drives the system Chromium; skipped, saying why, only when no Chromium is installed (<c>.ci/run</c> installs it).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>Debian's <c>chromium</c>, or the path in <c>FLEET_CHROMIUM</c>.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("FLEET_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
            Skip = $"no Chromium at {ExecutablePath}: install it (sudo apt-get install -y chromium, as .ci/run does) or set FLEET_CHROMIUM to a Chromium binary";
    }
}
