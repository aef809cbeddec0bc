using System.Diagnostics;
using Fleet.Agent.Configuration;
using Fleet.Agent.Native;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

namespace Fleet.Agent.Bench;

/// <summary>
/// The baseline: LLamaSharp's BatchedExecutor driven directly in process, with the agent's model parameters,
/// greedy sampling and no HTTP, JSON, channels or stop matching.
/// </summary>
internal static class TightLoop
{
    public static double TokensPerSecond(string model, int threads, int contextSize, int slots, int streams, string prompt, int tokens)
    {
        NativeBackend.Configure(new AgentOptions { ModelPath = model });
        var parameters = new ModelParams(model)
        {
            ContextSize = (uint)contextSize,
            Threads = threads,
            BatchThreads = threads,
            SeqMax = (uint)slots,
            BatchSize = (uint)Math.Max(contextSize / slots, 512),
        };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var executor = new BatchedExecutor(weights, parameters);
        var vocab = weights.NativeHandle.Vocab;
        var promptTokens = weights.Tokenize(prompt, true, false, System.Text.Encoding.UTF8);
        var conversations = Enumerable.Range(0, streams).Select(_ => executor.Create()).ToList();
        var samplers = conversations.Select(_ => new DefaultSamplingPipeline { Temperature = 0 }).ToList();

        var clock = Stopwatch.StartNew();
        foreach (var c in conversations) c.Prompt(promptTokens);
        var generated = 0;
        for (var step = 0; step < tokens; step++)
        {
            if (executor.Infer().GetAwaiter().GetResult() != DecodeResult.Ok) throw new InvalidOperationException("decode failed");
            for (var i = 0; i < conversations.Count; i++)
            {
                var token = conversations[i].Sample(samplers[i]);
                generated++;
                if (token.IsEndOfGeneration(vocab)) throw new InvalidOperationException("model ended early");
                conversations[i].Prompt(token);
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        foreach (var c in conversations) c.Dispose();
        foreach (var s in samplers) s.Dispose();
        return generated / seconds;
    }
}
