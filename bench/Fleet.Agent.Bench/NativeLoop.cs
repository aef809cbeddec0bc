using System.Diagnostics;
using System.Runtime.InteropServices;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Fleet.Agent.Bench;

/// <summary>
/// The anchor: llama.cpp's own decode loop, as llama-server runs it, with no managed work per token beyond the
/// P/Invokes. One <c>llama_batch</c> holds the next token of every stream (all sequences in one batch, like the agent),
/// <c>llama_decode</c> is called directly through its native entry point, and each stream's token comes from the
/// native greedy sampler (<c>llama_sampler_init_greedy</c> + <c>llama_sampler_sample</c>). The context has the agent's
/// parameters (threads, context, sequences, batch size), so the two differ only in what the agent does around decode.
/// </summary>
internal sealed unsafe class NativeLoop : IDisposable
{
    private readonly LLamaWeights _weights;
    private readonly LLamaContext _context;
    private readonly SafeLLamaSamplerChainHandle _greedy;
    private readonly delegate* unmanaged<IntPtr, LLamaNativeBatch, int> _decode;
    private readonly int _capacity;
    private LLamaNativeBatch _batch;

    private NativeLoop(LLamaWeights weights, LLamaContext context, int capacity)
    {
        _weights = weights;
        _context = context;
        _capacity = capacity;
        _batch = NativeApi.llama_batch_init(capacity, 0, 1);
        _greedy = SafeLLamaSamplerChainHandle.Create(LLamaSamplerChainParams.Default());
        _greedy.AddGreedySampler();
        // LLamaSharp keeps its llama_decode import private: resolve the symbol in the libllama it loaded.
        var library = NativeLibrary.Load(LoadedLibLlama());
        _decode = (delegate* unmanaged<IntPtr, LLamaNativeBatch, int>)NativeLibrary.GetExport(library, "llama_decode");
    }

    /// <summary>Loads <paramref name="model"/> with the agent's context parameters.</summary>
    public static NativeLoop Load(string model, int threads, int contextSize, int slots)
    {
        var parameters = new ModelParams(model)
        {
            ContextSize = (uint)contextSize,
            Threads = threads,
            BatchThreads = threads,
            SeqMax = (uint)slots,
            BatchSize = (uint)Math.Max(contextSize / slots, 512),
        };
        var weights = LLamaWeights.LoadFromFile(parameters);
        return new NativeLoop(weights, weights.CreateContext(parameters), (int)parameters.BatchSize);
    }

    /// <summary>The prompt as the agent tokenizes a completions prompt (BOS, no special tokens in the text).</summary>
    public LLamaToken[] Tokenize(string text) => _weights.Tokenize(text, true, false, System.Text.Encoding.UTF8);

    /// <summary>
    /// Generated tokens/s of <paramref name="streams"/> greedy streams of <paramref name="tokens"/> tokens each, all
    /// starting from <paramref name="prompt"/>; the clock includes the prompt's decode, as the agent's does.
    /// </summary>
    public double TokensPerSecond(LLamaToken[] prompt, int streams, int tokens)
    {
        _context.NativeHandle.MemoryClear();
        var ctx = _context.NativeHandle;
        var next = new LLamaToken[streams];
        var index = new int[streams];
        var clock = Stopwatch.StartNew();
        _batch.n_tokens = 0;
        for (var s = 0; s < streams; s++)
        {
            for (var i = 0; i < prompt.Length; i++) Add(prompt[i], i, s, i == prompt.Length - 1);
            index[s] = _batch.n_tokens - 1;
        }

        Decode();
        for (var step = 0; step < tokens; step++)
        {
            for (var s = 0; s < streams; s++)
            {
                next[s] = _greedy.Sample(ctx, index[s]);
                if (next[s].IsEndOfGeneration(_weights.Vocab)) throw new InvalidOperationException("the model ended a stream early");
            }

            if (step == tokens - 1) break; // the last token is sampled, not decoded (as in the agent)
            _batch.n_tokens = 0;
            for (var s = 0; s < streams; s++)
            {
                index[s] = _batch.n_tokens;
                Add(next[s], prompt.Length + step, s, true);
            }

            Decode();
        }

        return streams * tokens / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Milliseconds from nothing to the first sampled token of <paramref name="prompt"/>; with
    /// <paramref name="cached"/>, its KV (all but the last token, which is decoded again for its logits) is already
    /// there, as in llama-server's prompt cache.
    /// </summary>
    public double TimeToFirstTokenMs(LLamaToken[] prompt, bool cached)
    {
        _context.NativeHandle.MemoryClear();
        var ctx = _context.NativeHandle;
        var from = 0;
        if (cached)
        {
            _batch.n_tokens = 0;
            for (var i = 0; i < prompt.Length - 1; i++) Add(prompt[i], i, 0, false);
            Decode();
            from = prompt.Length - 1;
        }

        var clock = Stopwatch.StartNew();
        _batch.n_tokens = 0;
        for (var i = from; i < prompt.Length; i++) Add(prompt[i], i, 0, i == prompt.Length - 1);
        Decode();
        _greedy.Sample(ctx, _batch.n_tokens - 1);
        return clock.Elapsed.TotalMilliseconds;
    }

    public void Dispose()
    {
        NativeApi.llama_batch_free(_batch);
        _greedy.Dispose();
        _context.Dispose();
        _weights.Dispose();
    }

    private void Add(LLamaToken token, int pos, int seq, bool logits)
    {
        var i = _batch.n_tokens;
        if (i >= _capacity) throw new InvalidOperationException($"batch full ({_capacity} tokens): shorten the prompt or use fewer streams");
        _batch.tokens[i] = token;
        _batch.pos[i] = pos;
        _batch.n_seq_id[i] = 1;
        _batch.seq_id[i][0] = (LLamaSeqId)seq;
        _batch.logits[i] = logits ? (byte)1 : (byte)0;
        _batch.n_tokens = i + 1;
    }

    private void Decode()
    {
        var result = _decode(_context.NativeHandle.DangerousGetHandle(), _batch);
        if (result != 0) throw new InvalidOperationException($"llama_decode returned {result}");
    }

    private static string LoadedLibLlama() =>
        File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length >= 6 && Path.GetFileName(f[5]) == "libllama.so").Select(f => f[5]).FirstOrDefault()
        ?? throw new InvalidOperationException("libllama.so is not loaded in this process");
}
