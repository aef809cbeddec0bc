using Fleet.Infra.Configuration;
using Fleet.Infra.Diagnostics;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// Reads and validates <c>Pulumi.&lt;stack&gt;.yaml</c> from the working copy with the synthesizer's own reader, so the
/// service and the program agree on pools, bounds and node ids. The parse is cached until the file's text changes.
/// </summary>
public sealed class StackConfigLoader(string projectDirectory, string project)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Text, FleetConfig Config)> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The current config; with <paramref name="lastGoodOnError"/>, a file that does not read or validate right now
    /// (the CLI rewrites it in place while a <c>config</c> command runs) yields the last good parse instead.
    /// </summary>
    public FleetConfig Load(string stack, bool lastGoodOnError)
    {
        try
        {
            return Load(stack);
        }
        catch (Exception e) when (lastGoodOnError && e is InvalidOperationException or ConfigSourceException or IOException)
        {
            lock (_gate)
            {
                if (_cache.TryGetValue(stack, out var hit)) return hit.Config;
            }
            throw;
        }
    }

    /// <summary>The stack file's text as it is now (taken before a run edits it).</summary>
    public string ReadText(string stack) => File.ReadAllText(Path.Combine(projectDirectory, $"Pulumi.{stack}.yaml"));

    /// <summary>
    /// Puts back the stack file as it was before a run that failed after editing it. Otherwise the file would already
    /// list the wanted nodes, the planner would see nothing to change, and no later run would ever deploy them.
    /// </summary>
    public void Restore(string stack, string text)
    {
        var path = Path.Combine(projectDirectory, $"Pulumi.{stack}.yaml");
        if (File.Exists(path) && File.ReadAllText(path) == text) return;
        var temp = path + ".fleet-restore";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
    }

    public FleetConfig Load(string stack)
    {
        var path = Path.Combine(projectDirectory, $"Pulumi.{stack}.yaml");
        if (!File.Exists(path)) StackFileConfigSource.Load(projectDirectory, stack, project); // throws the CLI's own message
        var text = File.ReadAllText(path);
        lock (_gate)
        {
            if (_cache.TryGetValue(stack, out var hit) && hit.Text == text) return hit.Config;
        }
        var raw = StackFileConfigSource.Parse(text, stack, project, path);
        var (config, diagnostics) = FleetConfigReader.Read(raw);
        if (config is null)
        {
            var errors = diagnostics.Where(d => d.Severity == Severity.Error).Select(d => $"{d.Path}: {d.Message}");
            throw new InvalidOperationException($"{path} is not a valid fleet config: {string.Join("; ", errors)}");
        }
        lock (_gate) _cache[stack] = (text, config);
        return config;
    }
}
