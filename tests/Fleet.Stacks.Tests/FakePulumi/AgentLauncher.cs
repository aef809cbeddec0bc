using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Fleet.Stacks.FakePulumi;

/// <summary>
/// What a real <c>up</c> does to a node after creating its server (cloud-init starts the agent, the stack writes the
/// gateway's nodes file), done on this machine: when <c>.fake-pulumi/agents.json</c> exists, each created worker
/// <c>worker-&lt;pool&gt;-&lt;id&gt;</c> gets a fresh credential whose hash is added to the gateway's nodes file, and a
/// real agent process (the command in the spec) named <c>&lt;project&gt;-&lt;stack&gt;-&lt;pool&gt;-&lt;id&gt;</c>;
/// each deleted worker's process is killed and its entry removed. Per node, in <c>.fake-pulumi/agents/</c>:
/// <c>&lt;node&gt;.token</c>, <c>&lt;node&gt;.pid</c>, <c>&lt;node&gt;.log</c> (the agent's output); and one line per
/// start (<c>start &lt;node&gt; &lt;pid&gt; &lt;unix ms&gt;</c>) or stop in <c>agents.log</c>.
/// </summary>
/// <remarks>
/// The spec: <c>{"command": "/usr/bin/dotnet", "args": ["…/fleet-agent.dll"], "env": {"FLEET_…": "…"},
/// "nodesFile": "…/nodes.json", "project": "fleet"}</c>. The agent runs detached from this process (its output goes to
/// its log file, not to the pipes the control service reads), so it outlives the <c>up</c> as a server does.
/// </remarks>
public static class AgentLauncher
{
    /// <summary>Starts the agent of worker <c>&lt;pool&gt;-&lt;id&gt;</c> of <paramref name="stack"/> as an <c>up</c> creating it would (tests: nodes deployed before).</summary>
    public static void Start(string control, string stack, string pool, string id) =>
        Apply(control, stack, $"urn:pulumi:{stack}::fleet::digitalocean:index/droplet:Droplet::worker-{pool}-{id}", created: true);

    /// <summary>Starts or stops the agent of one worker resource, if a spec is present.</summary>
    public static void Apply(string control, string stack, string urn, bool created)
    {
        var specPath = Path.Combine(control, "agents.json");
        const string marker = "::worker-";
        var at = urn.LastIndexOf(marker, StringComparison.Ordinal);
        if (!File.Exists(specPath) || at < 0) return;
        var spec = JsonNode.Parse(File.ReadAllText(specPath))!.AsObject();
        var worker = urn[(at + marker.Length)..];
        var pool = worker[..worker.LastIndexOf('-')]; // ids have no dash (n1, a3); pool names may
        var node = $"{spec["project"]?.GetValue<string>() ?? "fleet"}-{stack}-{worker}";
        var dir = Directory.CreateDirectory(Path.Combine(control, "agents")).FullName;
        var nodesFile = spec["nodesFile"]!.GetValue<string>();
        if (created) Start(spec, dir, nodesFile, node, pool, control);
        else Stop(dir, nodesFile, node, control);
    }

    private static void Start(JsonObject spec, string dir, string nodesFile, string node, string pool, string control)
    {
        var credential = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var tokenFile = Path.Combine(dir, node + ".token");
        File.WriteAllText(tokenFile, credential);
        EditNodes(nodesFile, nodes =>
        {
            Remove(nodes, node);
            nodes.Add(new JsonObject { ["node"] = node, ["pool"] = pool, ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential))) });
        });
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = dir };
        // exec: the agent replaces the shell; its stdio are the log file and /dev/null, never this process's pipes.
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >\"$FLEET_FAKE_AGENT_LOG\" 2>&1 </dev/null");
        start.ArgumentList.Add(spec["command"]!.GetValue<string>());
        foreach (var arg in spec["args"]?.AsArray() ?? []) start.ArgumentList.Add(arg!.GetValue<string>());
        foreach (var (key, value) in spec["env"]?.AsObject() ?? []) start.Environment[key] = value!.GetValue<string>();
        start.Environment["FLEET_NODE_NAME"] = node;
        start.Environment["FLEET_POOL"] = pool;
        start.Environment["FLEET_NODE_CREDENTIAL_FILE"] = tokenFile;
        start.Environment["FLEET_FAKE_AGENT_LOG"] = Path.Combine(dir, node + ".log");
        using var process = Process.Start(start)!;
        var pid = process.Id.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(Path.Combine(dir, node + ".pid"), pid);
        File.AppendAllText(Path.Combine(control, "agents.log"), $"start {node} {pid} {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}\n");
    }

    private static void Stop(string dir, string nodesFile, string node, string control)
    {
        var pidFile = Path.Combine(dir, node + ".pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile), out var pid))
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (ArgumentException) { } // already gone
            catch (InvalidOperationException) { }
            File.Delete(pidFile);
            File.AppendAllText(Path.Combine(control, "agents.log"), $"stop {node} {pid}\n");
        }
        EditNodes(nodesFile, nodes => Remove(nodes, node));
    }

    private static void Remove(JsonArray nodes, string node)
    {
        foreach (var entry in nodes.Where(n => n?["node"]?.GetValue<string>() == node).ToList()) nodes.Remove(entry);
    }

    private static void EditNodes(string path, Action<JsonArray> edit)
    {
        var root = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : new JsonObject();
        if (root["nodes"] is not JsonArray nodes) root["nodes"] = nodes = new JsonArray();
        edit(nodes);
        var temp = path + ".tmp" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        File.Move(temp, path, overwrite: true);
    }
}
