using System.ComponentModel;
using System.Diagnostics;

namespace Fleet.Gateway.Tests.Support;

/// <summary>Starts a tool the tests need from Debian; when it is missing, the failure says which package to install.</summary>
public static class ExternalTool
{
    /// <summary>Starts <paramref name="start"/>; fails with the install command when its program is not on PATH.</summary>
    public static Process Start(ProcessStartInfo start, string debianPackage)
    {
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"'{start.FileName}' is not installed ({e.Message}). Install it with `sudo apt-get install -y {debianPackage}` " +
                        "(.ci/run installs every tool the tests use).");
            throw; // unreachable: Assert.Fail throws
        }
    }
}
