using Fleet.Agent.Tests.Gguf;

namespace Fleet.Agent.Tests.Support;

/// <summary>Model files the tests build once per test run, in a private temp directory.</summary>
public static class TestModels
{
    private static readonly Lazy<string> Dir = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "fleet-agent-tests-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // best effort: a file still open by a process that has not exited yet
            }
        };
        return dir;
    });

    private static readonly Lazy<string> ScriptedPath = new(() => new ScriptedModel().WriteTo(Path.Combine(Dir.Value, "scripted.gguf")));

    /// <summary>The scripted model (see <see cref="ScriptedModel"/>).</summary>
    public static string Scripted => ScriptedPath.Value;

    /// <summary>A fresh path in the private temp directory.</summary>
    public static string NewPath(string name) => Path.Combine(Dir.Value, $"{Guid.NewGuid():N}-{name}");
}
