namespace Fleet.Agent.Inference;

/// <summary>
/// Holds each token's log-probabilities until the stop matcher releases the text that token produced, so a client gets
/// entries for exactly the tokens behind the text it received: a token whose text begins before a stop sequence is
/// reported, one wholly inside it is not.
/// </summary>
internal sealed class PendingLogprobs
{
    private readonly Queue<(int Start, int End, TokenLogprob Entry)> _pending = new();
    private int _generated;
    private int _released;

    /// <summary>Records a token that produced <paramref name="chars"/> characters of text (0 for part of a character).</summary>
    public void Add(int chars, TokenLogprob entry)
    {
        _pending.Enqueue((_generated, _generated + chars, entry));
        _generated += chars;
    }

    /// <summary>
    /// Entries whose text is now wholly sent, after <paramref name="chars"/> more characters were released; once a stop
    /// sequence matched (<paramref name="stopped"/>), also the tokens that started before it, and nothing after.
    /// </summary>
    public List<TokenLogprob>? Release(int chars, bool stopped)
    {
        _released += chars;
        List<TokenLogprob>? released = null;
        while (_pending.TryPeek(out var p) && (p.End <= _released || stopped && p.Start < _released))
            (released ??= []).Add(_pending.Dequeue().Entry);
        if (stopped) _pending.Clear();
        return released;
    }

    /// <summary>At the end of generation (no stop sequence): everything still held.</summary>
    public List<TokenLogprob>? Flush()
    {
        if (_pending.Count == 0) return null;
        var all = _pending.Select(p => p.Entry).ToList();
        _pending.Clear();
        return all;
    }
}
