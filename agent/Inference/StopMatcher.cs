namespace Fleet.Agent.Inference;

/// <summary>
/// Finds stop sequences in streamed text. Text that could still become a stop sequence is held back until the next
/// piece decides it, so a client never sees any part of a stop sequence.
/// </summary>
public sealed class StopMatcher(IReadOnlyList<string> stops)
{
    private string _pending = "";

    public bool Stopped { get; private set; }

    /// <summary>Adds generated text; returns the part that is safe to send now.</summary>
    public string Push(string text)
    {
        if (Stopped) return "";
        if (stops.Count == 0) return text;
        _pending += text;
        var cut = -1;
        foreach (var stop in stops)
        {
            var at = _pending.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }

        if (cut >= 0)
        {
            Stopped = true;
            var head = _pending[..cut];
            _pending = "";
            return head;
        }

        var keep = 0;
        foreach (var stop in stops)
            for (var len = Math.Min(stop.Length - 1, _pending.Length); len > keep; len--)
                if (_pending.AsSpan(_pending.Length - len).SequenceEqual(stop.AsSpan(0, len)))
                {
                    keep = len;
                    break;
                }

        var safe = _pending[..^keep];
        _pending = _pending[^keep..];
        return safe;
    }

    /// <summary>At the end of generation: the held-back text, which turned out not to be a stop sequence.</summary>
    public string Flush()
    {
        var rest = _pending;
        _pending = "";
        return Stopped ? "" : rest;
    }
}
