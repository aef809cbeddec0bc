using System.Text.Json.Nodes;

namespace Fleet.Stacks.Bench;

/// <summary>A temporary Pulumi project with two stacks and the fake CLI's control folder.</summary>
internal sealed class BenchProject : IDisposable
{
    private const string StackYaml = """
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
              max: 20
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
        """;

    public static readonly string[] Stacks = ["prod", "staging"];

    public BenchProject()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("fleet-stacks-bench-").FullName;
        File.WriteAllText(Path.Combine(Directory, "Pulumi.yaml"), "name: fleet\nruntime: yaml\n");
        System.IO.Directory.CreateDirectory(Control);
        foreach (var stack in Stacks)
        {
            File.WriteAllText(Path.Combine(Directory, $"Pulumi.{stack}.yaml"), StackYaml);
            File.WriteAllText(Path.Combine(Control, $"deployed.{stack}.json"), """{"cpu":{"nodes":["1"]},"burst":{"nodes":["a1","a2"]}}""");
        }
    }

    public string Directory { get; }

    public string Control => Path.Combine(Directory, ".fake-pulumi");

    public void UpBehaves(string stack, params string[] behaviours) => File.WriteAllLines(Path.Combine(Control, $"up.{stack}"), behaviours);

    public void Release(string stack) => File.WriteAllText(Path.Combine(Control, $"release.{stack}"), "");

    public bool UpRunning(string stack) => File.Exists(Path.Combine(Control, $"running.{stack}"));

    /// <summary>(stack, startedAt ms) of every `up` the fake ran.</summary>
    public List<(string Stack, long StartedAt)> Ups()
    {
        var path = Path.Combine(Control, "calls.log");
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonNode.Parse(l)!)
            .Where(o => o["argv"]![0]!.GetValue<string>() == "up")
            .Select(o => (o["argv"]![4]!.GetValue<string>(), o["startedAt"]!.GetValue<long>()))
            .ToList();
    }

    /// <summary>When the service spawned each `up` (unix ms), from the wrapper script's log.</summary>
    public List<long> UpSpawns()
    {
        var path = Path.Combine(Control, "spawn.log");
        if (!File.Exists(path)) return [];
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .Where(p => p.Length > 1 && p[1] == "up").Select(p => long.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}
