// Synth benchmark (DESIGN §9): wall time of `fleet synth` as Pulumi runs it (a fresh process per engine call, config in
// PULUMI_CONFIG), warm, for 1, 10, 100 and 1000 workers, next to the in-process synthesis time and the targets.
// Usage: dotnet run -c Release --project bench/Fleet.Infra.Bench [-- path/to/fleet]   (default: .fleet/bin/fleet, the AOT build)
using System.Diagnostics;
using System.Globalization;
using Fleet.Infra.Configuration;
using Fleet.Infra.Pulumi;
using Fleet.Infra.Synthesis;

var root = FindRoot();
var binary = args.Length > 0 ? args[0] : Path.Combine(root, ".fleet", "bin", "fleet");
if (!File.Exists(binary))
{
    Console.Error.WriteLine($"{binary} is missing: run ./scripts/fleet-synth once (it builds the NativeAOT compiler)");
    return 1;
}
const int Runs = 15;
var targets = new Dictionary<int, double> { [100] = 150, [1000] = 1000 };
Console.WriteLine($"fleet synth benchmark: {binary}, {Runs} warm runs each, {Environment.ProcessorCount} cores");
Console.WriteLine($"{"workers",8} {"resources",10} {"yaml KiB",9} {"process p50 ms",15} {"process p95 ms",15} {"in-proc p50 ms",15} {"target ms",10} {"p50/target",11}");
foreach (var workers in new[] { 1, 10, 100, 1000 })
{
    var config = PulumiConfig(workers);
    var program = SynthesisPipeline.Run(EngineConfigSource.Parse(config, "bench", "fleet")).Program!;
    var yaml = PulumiYamlWriter.Write(program);
    var inProc = Measure(() => PulumiYamlWriter.Write(SynthesisPipeline.Run(EngineConfigSource.Parse(config, "bench", "fleet")).Program!));
    var process = Measure(() => RunSynth(binary, root, config, yaml.Length));
    var target = targets.TryGetValue(workers, out var t) ? t : (double?)null;
    Console.WriteLine($"{workers,8} {program.Resources.Count,10} {yaml.Length / 1024,9} {process.P50,15:F1} {process.P95,15:F1} {inProc.P50,15:F1} {(target is null ? "-" : target.Value.ToString("F0", CultureInfo.InvariantCulture)),10} {(target is null ? "-" : (process.P50 / target.Value).ToString("F2", CultureInfo.InvariantCulture)),11}");
}
return 0;

static (double P50, double P95) Measure(Action action)
{
    action(); // warm: page cache, JIT for the in-process column
    var samples = new List<double>();
    for (var i = 0; i < Runs; i++)
    {
        var sw = Stopwatch.StartNew();
        action();
        samples.Add(sw.Elapsed.TotalMilliseconds);
    }
    samples.Sort();
    return (samples[samples.Count / 2], samples[(int)Math.Ceiling(samples.Count * 0.95) - 1]);
}

static void RunSynth(string binary, string root, string config, int expectedLength)
{
    var psi = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
    psi.ArgumentList.Add("synth");
    psi.Environment["PULUMI_CONFIG"] = config;
    psi.Environment["PULUMI_STACK"] = "bench";
    psi.Environment["PULUMI_PROJECT"] = "fleet";
    using var p = Process.Start(psi)!;
    var stderr = p.StandardError.ReadToEndAsync();
    var length = p.StandardOutput.ReadToEnd().Length;
    p.WaitForExit();
    if (p.ExitCode != 0 || length != expectedLength) throw new InvalidOperationException($"synth failed ({p.ExitCode}): {stderr.Result}");
}

static string PulumiConfig(int workers)
{
    var nodes = string.Join(",", Enumerable.Range(1, workers).Select(i => $"\\\"n{i}\\\""));
    return $$"""
    {"fleet:cloud":"digitalocean","fleet:region":"fra1","fleet:adminCidrs":"[\"203.0.113.7/32\"]",
     "fleet:pools":"[{\"name\":\"cpu\",\"size\":\"c-4\",\"nodes\":[{{nodes}}],\"max\":{{workers}}}]",
     "fleet:model":"{\"url\":\"https://example.com/m.gguf\",\"sha256\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}",
     "fleet:images":"{\"agent\":\"r/agent:1\",\"gateway\":\"r/gateway:1\"}",
     "fleet:policy":"{\"maxNodes\":5000}",
     "fleet:apiKeys":"[{\"name\":\"bench\",\"key\":\"0123456789abcdef0123456789abcdef\"}]"}
    """;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Infra.sln"))) return dir.FullName;
    throw new InvalidOperationException("Infra.sln not found");
}
