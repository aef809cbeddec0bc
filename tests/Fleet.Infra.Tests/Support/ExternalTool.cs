using System.Diagnostics;

namespace Fleet.Infra.Tests.Support;

/// <summary>Runs a real external checker (cloud-init, shellcheck, caddy). CI installs them (.ci/run); a missing tool fails loudly.</summary>
public static class ExternalTool
{
    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' is not installed ({e.Message}); .ci/run installs it with apt-get", e);
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
