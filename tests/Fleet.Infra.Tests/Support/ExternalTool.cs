using System.Diagnostics;

namespace Fleet.Infra.Tests.Support;

/// <summary>
/// Runs a real external checker (cloud-init, shellcheck, caddy, yamllint). CI installs them (.ci/run); a missing tool
/// fails with the Debian package that provides it, never with a bare Win32Exception.
/// </summary>
public static class ExternalTool
{
    /// <summary>The Debian package of each tool the tests run.</summary>
    public static readonly IReadOnlyDictionary<string, string> DebianPackages = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["caddy"] = "caddy",
        ["cloud-init"] = "cloud-init",
        ["pebble"] = "pebble",
        ["promtool"] = "prometheus",
        ["shellcheck"] = "shellcheck",
        ["yamllint"] = "yamllint",
    };

    /// <summary>What to do when <paramref name="tool"/> is not on PATH.</summary>
    public static string MissingMessage(string tool) =>
        $"'{tool}' is not installed (not found on PATH); install it with `sudo apt-get install {DebianPackages.GetValueOrDefault(tool, tool)}`, or run .ci/run, which installs every tool the tests use";

    /// <summary>Starts <paramref name="psi"/>, turning "not found" into <see cref="MissingMessage"/>.</summary>
    public static Process Start(ProcessStartInfo psi)
    {
        try { return Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{MissingMessage(psi.FileName)} ({e.Message})");
        }
    }

    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Start(psi);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
