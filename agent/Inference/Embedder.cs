using System.Globalization;
using LLama;
using LLama.Common;
using LLama.Native;

namespace Fleet.Agent.Inference;

/// <summary>
/// Embeddings for <c>/v1/embeddings</c>, on a context of their own (embeddings on, one sequence) beside the batched
/// one. Only a model whose GGUF declares a pooling type (<c>&lt;arch&gt;.pooling_type</c>: mean, cls or last, as
/// embedding models such as bge or nomic-embed do) gets one: a chat model's pooled hidden state is not an embedding
/// anyone trained. One input at a time; each vector is L2-normalised, as llama-server and OpenAI return them.
/// </summary>
internal sealed class Embedder : IDisposable
{
    private readonly LLamaContext _context;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private Embedder(LLamaContext context, int maxTokens)
    {
        _context = context;
        MaxTokens = maxTokens;
    }

    /// <summary>Most tokens one input may have (one batch: pooling needs the whole input in one decode).</summary>
    public int MaxTokens { get; }

    /// <summary>The model's declared pooling, or null when it is not an embedding model.</summary>
    public static LLamaPoolingType? DeclaredPooling(LLamaWeights weights)
    {
        if (!weights.Metadata.TryGetValue("general.architecture", out var arch)
            || !weights.Metadata.TryGetValue($"{arch}.pooling_type", out var value)
            || !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pooling))
            return null;
        return pooling is (int)LLamaPoolingType.Mean or (int)LLamaPoolingType.CLS or (int)LLamaPoolingType.Last
            ? (LLamaPoolingType)pooling
            : null;
    }

    public static Embedder Create(LLamaWeights weights, string modelPath, LLamaPoolingType pooling, int contextSize, int threads)
    {
        var parameters = new ModelParams(modelPath)
        {
            ContextSize = (uint)contextSize,
            BatchSize = (uint)contextSize,
            UBatchSize = (uint)contextSize,
            SeqMax = 1,
            Embeddings = true,
            PoolingType = pooling,
            Threads = threads,
            BatchThreads = threads,
        };
        return new Embedder(weights.CreateContext(parameters), contextSize);
    }

    /// <summary>The normalised embedding of <paramref name="tokens"/> (at most <see cref="MaxTokens"/>).</summary>
    public async Task<float[]> EmbedAsync(LLamaToken[] tokens, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() =>
            {
                _context.NativeHandle.MemoryClear();
                var batch = new LLamaBatch();
                batch.AddRange(tokens, 0, LLamaSeqId.Zero, true);
                var result = _context.NativeHandle.Decode(batch);
                if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp could not decode the input ({result})");
                var vector = _context.NativeHandle.GetEmbeddingsSeq(LLamaSeqId.Zero).ToArray();
                var norm = Math.Sqrt(vector.Sum(x => (double)x * x));
                if (norm > 0) for (var i = 0; i < vector.Length; i++) vector[i] = (float)(vector[i] / norm);
                return vector;
            }, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Frees the context once no embedding runs (false: one is still running after 2 s; left to the exit).</summary>
    public bool TryDispose()
    {
        if (!_gate.Wait(TimeSpan.FromSeconds(2))) return false;
        _context.Dispose();
        return true;
    }

    public void Dispose() => TryDispose();
}
