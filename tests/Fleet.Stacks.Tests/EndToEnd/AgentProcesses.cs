using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fleet.Agent.Tests.Gguf;
using Fleet.Stacks.FakePulumi;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests.EndToEnd;

/// <summary>
/// Real agent processes (the built <c>fleet-agent.dll</c>, serving the scripted test model as <see cref="Model"/>) for
/// a <see cref="TestProject"/>: <see cref="Enable"/> writes the fake <c>pulumi</c>'s <c>agents.json</c>, after which every
/// worker an <c>up</c> creates starts one (registered in the gateway's nodes file, beating every second) and every
/// worker it deletes stops. Dispose kills every agent that was started, by its recorded pid.
/// </summary>
public sealed class AgentProcesses(TestProject project, RealGateway gateway) : IDisposable
{
    /// <summary>The model id the agents report (the stack's <c>fleet:model</c> is <c>…/tiny.gguf</c>).</summary>
    public const string Model = "tiny";

    private string Folder => Path.Combine(project.Control, "agents");

    /// <summary>Writes the scripted model and the spec; from now on the fake's <c>up</c> starts agents.</summary>
    public void Enable()
    {
        var model = new ScriptedModel().WriteTo(Path.Combine(project.Directory, "scripted.gguf"));
        var spec = new
        {
            command = DotnetHost(),
            args = new[] { Path.Combine(AppContext.BaseDirectory, "fleet-agent.dll"), "--urls", "http://127.0.0.1:0" },
            env = new Dictionary<string, string>
            {
                ["FLEET_MODEL_PATH"] = model,
                ["FLEET_MODEL_ID"] = Model,
                ["FLEET_CONTEXT_SIZE"] = "2048",
                ["FLEET_PARALLEL_SLOTS"] = "4",
                ["FLEET_THREADS"] = "1",
                ["FLEET_HEARTBEAT_SECONDS"] = "1",
                ["FLEET_GATEWAY_URL"] = gateway.Url.ToString(),
                ["FLEET_CACHE_DIR"] = Path.Combine(project.Directory, "agent-cache"),
                ["FLEET_LOG_FORMAT"] = "text",
                ["DOTNET_gcServer"] = "0",
            },
            nodesFile = gateway.Options.NodesFile,
            project = "fleet",
        };
        File.WriteAllText(Path.Combine(project.Control, "agents.json"), JsonSerializer.Serialize(spec));
    }

    /// <summary>Starts the agent of a node deployed before the test (what its server's boot did), exactly as an <c>up</c> would.</summary>
    public void StartDeployed(string pool, string id) => AgentLauncher.Start(project.Control, "prod", pool, id);

    /// <summary>What the fake did, a line each: <c>start|stop &lt;node&gt; &lt;pid&gt;</c>.</summary>
    public IReadOnlyList<string> Log()
    {
        var path = Path.Combine(project.Control, "agents.log");
        return File.Exists(path) ? File.ReadAllLines(path) : [];
    }

    /// <summary>An agent's output so far (for failure messages).</summary>
    public string Output(string node)
    {
        var path = Path.Combine(Folder, node + ".log");
        return File.Exists(path) ? File.ReadAllText(path) : $"(no log for {node})";
    }

    /// <summary>Kills a node's agent process at once (SIGKILL: no drain, no last heartbeat), as a crashed server.</summary>
    public void Kill(string node)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(Folder, node + ".pid")), CultureInfo.InvariantCulture);
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        if (!Directory.Exists(Folder)) return;
        foreach (var file in Directory.GetFiles(Folder, "*.pid"))
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(File.ReadAllText(file), CultureInfo.InvariantCulture));
                // No wait: an agent the fake started is not this process's child, and a zombie would look alive until its timeout.
                process.Kill();
            }
            catch (ArgumentException) { } // already gone
            catch (InvalidOperationException) { }
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "/usr/bin/dotnet";
}
