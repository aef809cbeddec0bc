using LLama.Native;

namespace Fleet.Agent.Inference;

/// <summary>
/// One KV sequence of the shared <see cref="InferenceContext"/>: the tokens a slot (or a cached prompt) holds, the
/// position of the next one, and where its logits are in the last decoded batch.
/// </summary>
internal sealed class Sequence : IDisposable
{
    private readonly InferenceContext _owner;
    private long _readyAt;
    private int _logitIndex = -1;
    private bool _disposed;

    internal Sequence(InferenceContext owner, LLamaSeqId id)
    {
        _owner = owner;
        Id = id;
    }

    public LLamaSeqId Id { get; }

    /// <summary>Tokens in the KV cache (and pending) for this sequence: the position of the next one.</summary>
    public int TokenCount { get; private set; }

    public InferenceContext Owner => _owner;

    /// <summary>True when the last decode produced this sequence's logits and nothing was prompted since.</summary>
    public bool RequiresSampling => _logitIndex >= 0 && _readyAt == _owner.Decoded;

    /// <summary>True while tokens of this sequence wait in a batch not decoded yet.</summary>
    public bool RequiresInference => _readyAt > _owner.Decoded;

    /// <summary>The batch index of this sequence's logits (for a sampler); valid while <see cref="RequiresSampling"/>.</summary>
    public int LogitIndex => RequiresSampling ? _logitIndex : throw new InvalidOperationException("this sequence has no current logits");

    /// <summary>The raw logits of this sequence's last decoded token (llama.cpp's buffer: read, don't keep).</summary>
    public Span<float> Logits() => _owner.Context.NativeHandle.GetLogitsIth(LogitIndex);

    /// <summary>Queues <paramref name="tokens"/> for the next decode(s); logits only for the last one.</summary>
    public void Prompt(ReadOnlySpan<LLamaToken> tokens)
    {
        if (RequiresInference) throw new InvalidOperationException("this sequence already has tokens waiting for a decode");
        while (tokens.Length > 0)
        {
            var (batch, readyAt) = _owner.BatchWithRoom();
            var count = Math.Min(tokens.Length, _owner.BatchSize - batch.TokenCount);
            for (var i = 0; i < count; i++)
                _logitIndex = batch.Add(tokens[i], TokenCount++, Id, i == tokens.Length - 1);
            _readyAt = readyAt;
            tokens = tokens[count..];
        }
    }

    /// <summary>Queues one token (the usual generation step).</summary>
    public void Prompt(LLamaToken token) => Prompt([token]);

    /// <summary>
    /// A new sequence sharing this one's KV (llama.cpp copies cell membership, not data) and, until either is prompted,
    /// its logits: a sampler copies the logits before it changes anything.
    /// </summary>
    public Sequence Fork()
    {
        if (RequiresInference) throw new InvalidOperationException("cannot fork a sequence with tokens waiting for a decode");
        var fork = _owner.Create();
        fork.TokenCount = TokenCount;
        fork._readyAt = _readyAt;
        fork._logitIndex = _logitIndex;
        _owner.Context.NativeHandle.MemorySequenceCopy(Id, fork.Id, 0, TokenCount);
        return fork;
    }

    /// <summary>Drops every token from position <paramref name="keep"/> on; the sequence must be prompted before sampling.</summary>
    public void Rewind(int keep)
    {
        if (RequiresInference) throw new InvalidOperationException("cannot rewind a sequence with tokens waiting for a decode");
        _owner.Context.NativeHandle.MemorySequenceRemove(Id, keep, -1);
        TokenCount = keep;
        _logitIndex = -1;
    }

    /// <summary>Removes the sequence's KV and frees its id.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_owner.Context.NativeHandle.IsClosed) _owner.Context.NativeHandle.MemorySequenceRemove(Id, -1, -1);
        _owner.Release(Id);
    }
}
