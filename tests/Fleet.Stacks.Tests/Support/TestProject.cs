using System.Text.Json.Nodes;

namespace Fleet.Stacks.Tests.Support;

/// <summary>A throw-away Pulumi project folder with a <c>prod</c> stack, and the fake CLI's control files.</summary>
public sealed class TestProject : IDisposable
{
    public const string ProdYaml = """
        config:
          fleet:cloud: digitalocean
          fleet:region: fra1
          fleet:adminCidrs:
            - 203.0.113.7/32
          fleet:manager:
            size: s-2vcpu-4gb
          fleet:pools:
            - name: cpu
              size: c-8
              count: 1
            - name: burst
              size: c-4
              nodes: ["a1", "a2"]
              min: 1
              max: 6
              autoscale: true
          fleet:model:
            url: https://example.com/models/tiny.gguf
            sha256: "0000000000000000000000000000000000000000000000000000000000000000"
            contextSize: 4096
            parallel: 4
          fleet:images:
            agent: registry.example.com/fleet/agent:0.1.0
            gateway: registry.example.com/fleet/gateway:0.1.0
          fleet:policy:
            enforcement: advisory
            maxMonthlyCost: 2000
        """;

    private const string DeployedYaml = """{"cpu":{"size":"c-8","gpu":false,"nodes":["1"]},"burst":{"size":"c-4","gpu":false,"nodes":["a1","a2"]}}""";

    public TestProject(string prodYaml = ProdYaml, params string[] extraStacks)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fleet-stacks-test-").FullName;
        Database = System.IO.Path.Combine(Directory, "state", "stacks.db");
        File.WriteAllText(System.IO.Path.Combine(Directory, "Pulumi.yaml"), "name: fleet\nruntime: yaml\n");
        File.WriteAllText(System.IO.Path.Combine(Directory, "Pulumi.prod.yaml"), prodYaml);
        foreach (var stack in extraStacks) File.WriteAllText(System.IO.Path.Combine(Directory, $"Pulumi.{stack}.yaml"), prodYaml);
        System.IO.Directory.CreateDirectory(Control);
        // What is already deployed, as the fake's `pools` output.
        foreach (var stack in extraStacks.Prepend("prod"))
            File.WriteAllText(System.IO.Path.Combine(Control, $"deployed.{stack}.json"), DeployedYaml);
    }

    /// <summary>
    /// Git mode: a folder for the service's clone of <paramref name="remote"/>, its database outside it. With
    /// <paramref name="clone"/> the folder is cloned now and the fake's deployed pools seeded (a stack deployed before);
    /// without, it does not exist yet and the service clones it at start.
    /// </summary>
    public TestProject(GitRemote remote, bool clone)
    {
        Directory = System.IO.Path.Combine(remote.Root, $"clone-{Guid.NewGuid():N}");
        Database = remote.Database;
        System.IO.Directory.CreateDirectory(Directory);
        if (!clone) return;
        GitRemote.Git(Directory, "clone", "--quiet", remote.Url, ".");
        System.IO.Directory.CreateDirectory(Control);
        File.WriteAllText(System.IO.Path.Combine(Control, "deployed.prod.json"), DeployedYaml);
    }

    public string Directory { get; }

    public string Control => System.IO.Path.Combine(Directory, ".fake-pulumi");

    public string Database { get; } = "";

    /// <summary>Behaviours of the next <c>up</c>s (succeed, conflict, locked, fail, crash, hang, gate); the last one stays.</summary>
    public void UpBehaves(params string[] behaviours) => File.WriteAllLines(System.IO.Path.Combine(Control, "up"), behaviours);

    /// <summary>
    /// Steps every later preview plans besides the node-list change, each <c>op name [type]</c> (e.g.
    /// <c>replace manager-server</c>, <c>delete service-gateway docker:index/service:Service</c>); none to stop.
    /// </summary>
    public void PreviewAlsoPlans(params string[] steps)
    {
        var path = System.IO.Path.Combine(Control, "preview");
        if (steps.Length == 0) File.Delete(path); else File.WriteAllLines(path, steps);
    }

    public IReadOnlyList<FakeCall> Previews() => Calls().Where(c => c.Argv[0] == "preview").ToArray();

    /// <summary>Lets a <c>gate</c> up of <paramref name="stack"/> finish.</summary>
    public void Release(string stack = "prod") => File.WriteAllText(System.IO.Path.Combine(Control, $"release.{stack}"), "");

    public bool UpRunning(string stack = "prod") => File.Exists(System.IO.Path.Combine(Control, $"running.{stack}"));

    /// <summary>Removes a lock left by a killed <c>up</c> (what <c>pulumi cancel</c> or the lock's expiry does).</summary>
    public void ClearLock(string stack = "prod") => File.Delete(System.IO.Path.Combine(Control, $"running.{stack}"));

    /// <summary>
    /// Every argv the fake received, in order (without the leading --non-interactive), less the start-up
    /// reconciliation's reads of the <c>pools</c> output that come before anything else.
    /// </summary>
    public IReadOnlyList<FakeCall> Calls() => AllCalls().SkipWhile(c => c.Line.StartsWith("stack output pools", StringComparison.Ordinal)).ToArray();

    /// <summary>Stops the next <c>command:when</c> call of the fake (config, up, output, cancel; before or after its work) until it is killed.</summary>
    public void PauseAt(string rule) => File.WriteAllText(System.IO.Path.Combine(Control, "pause"), rule + "\n");

    /// <summary>The pause rule the fake stopped at and its pid, or null.</summary>
    public string? Paused() => File.Exists(System.IO.Path.Combine(Control, "paused")) ? File.ReadAllText(System.IO.Path.Combine(Control, "paused")) : null;

    /// <summary>What <c>cancel</c> wrote if it ever removed the lock of a live <c>up</c> (a race), or null.</summary>
    public string? Raced() => File.Exists(System.IO.Path.Combine(Control, "raced")) ? File.ReadAllText(System.IO.Path.Combine(Control, "raced")) : null;

    /// <summary>The servers that exist in the fake cloud for a pool (ids), changed one by one during an <c>up</c>.</summary>
    public IReadOnlyList<string> Servers(string pool, string stack = "prod")
    {
        var path = System.IO.Path.Combine(Control, $"resources.{stack}.json");
        if (!File.Exists(path)) return DeployedNodes(pool, stack);
        var prefix = $"urn:pulumi:{stack}::fleet::digitalocean:index/droplet:Droplet::worker-{pool}-";
        return JsonNode.Parse(File.ReadAllText(path))!.AsArray().Select(n => n!.GetValue<string>())
            .Where(u => u.StartsWith(prefix, StringComparison.Ordinal)).Select(u => u[prefix.Length..]).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The node ids the stack file lists for a pool.</summary>
    public IReadOnlyList<string> ConfiguredNodes(string pool, string stack = "prod") =>
        new Fleet.Stacks.Scaling.StackConfigLoader(Directory, "fleet").Load(stack).Pools.Single(p => p.Name == pool).NodeIds;

    public IReadOnlyList<FakeCall> AllCalls()
    {
        var path = System.IO.Path.Combine(Control, "calls.log");
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var o = JsonNode.Parse(line)!;
            return new FakeCall(o["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray(), o["nonInteractive"]!.GetValue<bool>(),
                o["debugCommands"]?.GetValue<string>(), o["startedAt"]!.GetValue<long>(),
                o["env"]?.AsArray().Select(a => a!.GetValue<string>()).ToArray() ?? [], o["stackFile"]?.GetValue<string>());
        }).ToArray();
    }

    public IReadOnlyList<FakeCall> Ups() => Calls().Where(c => c.Argv[0] == "up").ToArray();

    public string StackFile(string stack = "prod") => File.ReadAllText(System.IO.Path.Combine(Directory, $"Pulumi.{stack}.yaml"));

    public JsonObject? Deployed(string stack = "prod")
    {
        var path = System.IO.Path.Combine(Control, $"deployed.{stack}.json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : null;
    }

    public IReadOnlyList<string> DeployedNodes(string pool, string stack = "prod") =>
        Deployed(stack)?[pool]?["nodes"]?.AsArray().Select(n => n!.GetValue<string>()).ToArray() ?? [];

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
