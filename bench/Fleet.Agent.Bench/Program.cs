using System.Diagnostics;
using Fleet.Agent.Bench;
using Fleet.Agent.Configuration;
using Fleet.Agent.Native;
using Fleet.Agent.Tests.Gguf;

// Usage: dotnet run -c Release --project bench/Fleet.Agent.Bench [-- path/to/published/fleet-agent]
// Without a path it publishes the agent with NativeAOT first. Prints numbers; asserts nothing.
// The anchor is llama.cpp's own loop (NativeLoop: llama_batch + llama_decode + native greedy sampler) in this process,
// with the agent's context parameters. The machine may be shared: each figure is the best of 3 rounds, agent and
// native loop measured alternately.
//        dotnet run -c Release --project bench/Fleet.Agent.Bench -- --write-model path.gguf   (the tests' scripted model)
//        dotnet run -c Release --project bench/Fleet.Agent.Bench -- --write-random-model path.gguf   (the 134M Q8_0 one)
const int Threads = 2, Context = 4096, Slots = 4, Rounds = 3;
if (args is ["--write-model", var modelPath])
{
    Console.WriteLine(new ScriptedModel().WriteTo(modelPath));
    return;
}

if (args is ["--write-random-model", var randomPath])
{
    NativeBackend.Configure(new AgentOptions { ModelPath = randomPath });
    Console.WriteLine(new RandomModel().WriteTo(randomPath));
    return;
}

const string Prompt = "one two three";
var work = Directory.CreateTempSubdirectory("fleet-agent-bench-").FullName;
var binary = args.Length > 0 ? args[0] : Publish(work);
NativeBackend.Configure(new AgentOptions { ModelPath = "bench" }); // the AVX build the agent picks, before llama.cpp loads

var random = new RandomModel();
var models = new (string Name, Func<string, string> Write, int Tokens)[]
{
    ("tiny scripted (E64 L2, 0.05M params, F32; overhead-bound)", p => new ScriptedModel().WriteTo(p), 1000),
    ($"random (E{random.Embedding} L{random.Layers} F{random.FeedForward}, vocab {random.Vocabulary}, {random.Parameters / 1e6:F0}M params, Q8_0; compute-bound)",
        random.WriteTo, 200),
};

Console.WriteLine($"threads={Threads} context={Context} slots={Slots} prompt=\"{Prompt}\" cpus={Environment.ProcessorCount} best of {Rounds}");
for (var m = 0; m < models.Length; m++)
{
    var (name, write, tokens) = models[m];
    var path = write(Path.Combine(work, $"model-{m}.gguf"));
    Console.WriteLine($"\n== {name}, {tokens} tokens per stream");
    using var agent = await AgentProcess.StartAsync(binary, Env(path));
    using var native = NativeLoop.Load(path, Threads, Context, Slots);
    var promptTokens = native.Tokenize(Prompt);
    var best = new Dictionary<int, (double Agent, double Native)>();
    foreach (var streams in new[] { 1, 4 })
    {
        native.TokensPerSecond(promptTokens, streams, tokens / 4); // warm-up
        await agent.StreamTokensPerSecondAsync(streams, Prompt, tokens / 4);
        double loop = 0, http = 0;
        for (var r = 0; r < Rounds; r++)
        {
            loop = Math.Max(loop, native.TokensPerSecond(promptTokens, streams, tokens));
            http = Math.Max(http, await agent.StreamTokensPerSecondAsync(streams, Prompt, tokens));
        }

        best[streams] = (http, loop);
        Console.WriteLine($"{streams} stream(s): agent over HTTP {http,8:F1} tok/s | native loop {loop,8:F1} tok/s | ratio {http / loop:F3} (goal >= 0.97)");
    }

    Console.WriteLine($"4 streams / 1 stream: agent {best[4].Agent / best[1].Agent:F2}, native loop {best[4].Native / best[1].Native:F2} " +
                      "(llama-server in issue 13: 154/129 = 1.19)");
    await TimeToFirstTokenAsync(agent, native);
    Console.WriteLine($"agent peak RSS (VmHWM) {agent.PeakRssBytes() / 1048576.0:F1} MiB");
}

var starts = new List<double>();
for (var i = 0; i < 5; i++)
{
    using var agent = await AgentProcess.StartAsync(binary, Env(Path.Combine(work, "model-0.gguf")));
    starts.Add(agent.StartToListening.TotalMilliseconds);
}

starts.Sort();
Console.WriteLine($"\nAOT start-to-listening (process start to TCP accept, model load excluded), 5 starts: " +
                  $"median {starts[2]:F0} ms, min {starts[0]:F0} ms, max {starts[4]:F0} ms (goal <= 100)");

Directory.Delete(work, recursive: true);

// TTFT of a ~200-token prompt: cold (its lead word differs each round, so only BOS is shared with anything cached),
// then the same prompt again (the agent's prompt cache; the native loop with the prompt's KV kept).
static async Task TimeToFirstTokenAsync(AgentProcess agent, NativeLoop native)
{
    string[] counting = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
    var body = string.Join(" ", Enumerable.Range(0, 198).Select(i => counting[(i + 4) % 10]));
    string[] leads = ["ten", "nine", "eight", "seven"];
    double agentCold = double.MaxValue, agentWarm = double.MaxValue, nativeCold = double.MaxValue, nativeWarm = double.MaxValue;
    int coldCached = 0, warmCached = 0, promptLength = 0;
    for (var r = 0; r < Rounds; r++)
    {
        var prompt = $"{leads[r]} {body}";
        var tokens = native.Tokenize(prompt);
        promptLength = tokens.Length;
        nativeCold = Math.Min(nativeCold, native.TimeToFirstTokenMs(tokens, cached: false));
        nativeWarm = Math.Min(nativeWarm, native.TimeToFirstTokenMs(tokens, cached: true));
        var (cold, cachedCold) = await agent.TimeToFirstTokenAsync(prompt);
        var (warm, cachedWarm) = await agent.TimeToFirstTokenAsync(prompt);
        (agentCold, coldCached) = cold < agentCold ? (cold, cachedCold) : (agentCold, coldCached);
        (agentWarm, warmCached) = warm < agentWarm ? (warm, cachedWarm) : (agentWarm, warmCached);
    }

    Console.WriteLine($"TTFT, {promptLength}-token prompt, cold:       agent over HTTP {agentCold,7:F1} ms (cached_tokens {coldCached}) | native loop {nativeCold,7:F1} ms | ratio {nativeCold / agentCold:F3}");
    Console.WriteLine($"TTFT, same prompt again (cached): agent over HTTP {agentWarm,7:F1} ms (cached_tokens {warmCached}) | native loop {nativeWarm,7:F1} ms | ratio {nativeWarm / agentWarm:F3}");
}

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
