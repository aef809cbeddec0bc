using System.Diagnostics;
using Fleet.Agent.Bench;
using Fleet.Agent.Tests.Gguf;

// Usage: dotnet run -c Release --project bench/Fleet.Agent.Bench [-- path/to/published/fleet-agent]
// Without a path it publishes the agent with NativeAOT first. Prints numbers; asserts nothing.
// The machine may be shared: each throughput is the best of 3 rounds, HTTP and in-process measured alternately.
//        dotnet run -c Release --project bench/Fleet.Agent.Bench -- --write-model path.gguf   (the tests' scripted model)
const int Threads = 2, Context = 4096, Slots = 4, Rounds = 3;
if (args is ["--write-model", var modelPath])
{
    Console.WriteLine(new ScriptedModel().WriteTo(modelPath));
    return;
}

const string Prompt = "one two three";
var work = Directory.CreateTempSubdirectory("fleet-agent-bench-").FullName;
var binary = args.Length > 0 ? args[0] : Publish(work);

var models = new (string Name, ScriptedModel Shape, int Tokens)[]
{
    ("tiny (E64 L2, 0.05M params; overhead-bound)", new ScriptedModel(), 1000),
    ("small (E512 L8 F1536, ~27M params)", new ScriptedModel(Embedding: 512, Layers: 8, Heads: 8, FeedForward: 1536), 400),
};

Console.WriteLine($"threads={Threads} context={Context} slots={Slots} prompt=\"{Prompt}\" cpus={Environment.ProcessorCount} best of {Rounds}");
foreach (var (name, shape, tokens) in models)
{
    var path = shape.WriteTo(Path.Combine(work, $"model-{shape.Embedding}.gguf"));
    Console.WriteLine($"\n== {name}, {tokens} tokens per stream");
    var env = Env(path);
    using var agent = await AgentProcess.StartAsync(binary, env);
    foreach (var streams in new[] { 1, 4 })
    {
        TightLoop.TokensPerSecond(path, Threads, Context, Slots, streams, Prompt, tokens / 4); // warm-up
        await agent.StreamTokensPerSecondAsync(streams, Prompt, tokens / 4);
        double tight = 0, http = 0;
        for (var r = 0; r < Rounds; r++)
        {
            tight = Math.Max(tight, TightLoop.TokensPerSecond(path, Threads, Context, Slots, streams, Prompt, tokens));
            http = Math.Max(http, await agent.StreamTokensPerSecondAsync(streams, Prompt, tokens));
        }

        Console.WriteLine($"{streams} stream(s): HTTP {http,8:F1} tok/s | in-process loop {tight,8:F1} tok/s | ratio {http / tight:F3} (goal >= 0.95)");
    }

    Console.WriteLine($"agent peak RSS (VmHWM) {agent.PeakRssBytes() / 1048576.0:F1} MiB");
    await PromptCacheBench.RunAsync(agent, words: 900);
}

var starts = new List<double>();
for (var i = 0; i < 5; i++)
{
    using var agent = await AgentProcess.StartAsync(binary, Env(Path.Combine(work, "model-64.gguf")));
    starts.Add(agent.StartToListening.TotalMilliseconds);
}

starts.Sort();
Console.WriteLine($"\nAOT start-to-listening (process start to TCP accept, model load excluded), 5 starts: " +
                  $"median {starts[2]:F0} ms, min {starts[0]:F0} ms, max {starts[4]:F0} ms (goal <= 100)");

Directory.Delete(work, recursive: true);

Dictionary<string, string> Env(string model) => new()
{
    ["FLEET_MODEL_PATH"] = model,
    ["FLEET_THREADS"] = $"{Threads}",
    ["FLEET_CONTEXT_SIZE"] = $"{Context}",
    ["FLEET_PARALLEL_SLOTS"] = $"{Slots}",
    ["Logging__LogLevel__Default"] = "Warning",
};

static string Publish(string work)
{
    var output = Path.Combine(work, "aot");
    var root = AppContext.BaseDirectory;
    while (!File.Exists(Path.Combine(root, "Infra.sln"))) root = Path.GetDirectoryName(root.TrimEnd('/'))!;
    var info = new ProcessStartInfo("dotnet", ["publish", Path.Combine(root, "agent", "Fleet.Agent.csproj"), "-c", "Release",
        "-r", "linux-x64", "-p:PublishAot=true", "-o", output, "--nologo", "-v", "quiet"]);
    using var p = Process.Start(info)!;
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException("AOT publish failed");
    return Path.Combine(output, "fleet-agent");
}
