using LLama;
using LLama.Abstractions;
using LLama.Native;

namespace Fleet.Agent.Inference;

/// <summary>
/// The one llama.cpp context the slots share, and the batches waiting to be decoded: what LLamaSharp's
/// <c>BatchedExecutor</c> does for the agent, with its batches reused instead of allocated every step, and sequences
/// (<see cref="Sequence"/>) that hand a sampler their logits index directly.
/// </summary>
internal sealed class InferenceContext : IDisposable
{
    private readonly List<LLamaBatch> _pending = []; // next to decode first
    private readonly Stack<LLamaBatch> _spare = new();
    private readonly HashSet<int> _busyIds = [];

    public InferenceContext(LLamaWeights weights, IContextParams parameters)
    {
        Context = weights.CreateContext(parameters);
        BatchSize = checked((int)Context.BatchSize);
    }

    public LLamaContext Context { get; }

    /// <summary>Most tokens one <c>llama_decode</c> takes (the context's n_batch).</summary>
    public int BatchSize { get; }

    /// <summary>Successful decodes so far: a sequence's logits are current while this equals its ready mark.</summary>
    public long Decoded { get; private set; }

    /// <summary>A new, empty sequence with the lowest free sequence id.</summary>
    public Sequence Create()
    {
        var id = 0;
        while (!_busyIds.Add(id)) id++;
        return new Sequence(this, (LLamaSeqId)id);
    }

    /// <summary>Decodes the next pending batch; on failure it stays pending (the caller starts a fresh context).</summary>
    public DecodeResult Decode()
    {
        if (_pending.Count == 0) return DecodeResult.Ok;
        var batch = _pending[0];
        var result = Context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok) return result;
        _pending.RemoveAt(0);
        batch.Clear();
        _spare.Push(batch);
        Decoded++;
        return result;
    }

    public void Dispose() => Context.Dispose();

    /// <summary>A pending batch with room for a token, and the decode count after which it will have been decoded.</summary>
    internal (LLamaBatch Batch, long ReadyAt) BatchWithRoom()
    {
        for (var i = 0; i < _pending.Count; i++)
            if (_pending[i].TokenCount < BatchSize)
                return (_pending[i], Decoded + i + 1);
        var batch = _spare.Count > 0 ? _spare.Pop() : new LLamaBatch();
        _pending.Add(batch);
        return (batch, Decoded + _pending.Count);
    }

    internal void Release(LLamaSeqId id) => _busyIds.Remove((int)id);
}
