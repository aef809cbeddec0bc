using System.Diagnostics;
using System.Text.Json;

namespace Fleet.Agent.Tests.Support;

/// <summary>
/// Runs a Node.js script from a folder whose npm packages are pinned (<c>npm ci</c> there first; <c>.ci/run</c> does it)
/// and returns the one JSON document it prints; fails the test naming the missing package, the time bound or stderr.
/// </summary>
public static class NodeScript
{
    public static async Task<JsonDocument> RunAsync(string folder, string script, string package, IReadOnlyDictionary<string, string> environment, TimeSpan bound)
    {
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", package)),
            $"npm package {package} is not installed: run `npm ci` in {folder} (.ci/run does)");
        var info = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using (var timeout = new CancellationTokenSource(bound))
        {
            try
            {
                await node.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                node.Kill(entireProcessTree: true);
                Assert.Fail($"node {script} did not finish within {bound.TotalMinutes} minutes: {await stderr}");
            }
        }

        Assert.True(node.ExitCode == 0, $"node {script} exited {node.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout);
    }
}
