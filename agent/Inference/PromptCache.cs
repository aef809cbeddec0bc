using LLama.Native;

namespace Fleet.Agent.Inference;

/// <summary>
/// Keeps the conversations (KV sequences) of finished requests while their sequence ids are not needed, so a request
/// whose prompt starts like an earlier one's text decodes only the rest. Live sequences (busy and idle) never exceed
/// <paramref name="capacity"/> (the slot count): each holds at most a slot's context, so the cache never takes KV
/// cells a busy slot could need. The least recently used idle conversation is dropped first.
/// </summary>
internal sealed class PromptCache(int capacity)
{
    private readonly List<(Sequence Conversation, List<LLamaToken> Tokens)> _idle = []; // most recently used last

    /// <summary>Idle conversations held now.</summary>
    public int Count => _idle.Count;

    /// <summary>
    /// A conversation for <paramref name="prompt"/>: the idle one sharing its longest prefix, rewound to that prefix
    /// (at least the last prompt token is always decoded again, for its logits), else a fresh one. Drops idle
    /// conversations so that they and <paramref name="busyAfter"/> busy sequences fit the capacity.
    /// </summary>
    public (Sequence Conversation, int Reused) Take(InferenceContext executor, LLamaToken[] prompt, int busyAfter)
    {
        var best = -1;
        var reused = 0;
        for (var i = 0; i < _idle.Count; i++)
        {
            var common = CommonPrefix(_idle[i].Tokens, prompt);
            if (common > reused)
            {
                (best, reused) = (i, common);
            }
        }

        Sequence? conversation = null;
        if (best >= 0)
        {
            conversation = _idle[best].Conversation;
            _idle.RemoveAt(best);
            conversation.Rewind(reused);
        }

        while (_idle.Count > 0 && _idle.Count + busyAfter > capacity)
        {
            _idle[0].Conversation.Dispose();
            _idle.RemoveAt(0);
        }

        return (conversation ?? executor.Create(), reused);
    }

    /// <summary>Keeps a finished conversation whose KV holds exactly <paramref name="tokens"/>.</summary>
    public void Keep(Sequence conversation, List<LLamaToken> tokens)
    {
        if (tokens.Count == 0)
        {
            conversation.Dispose();
            return;
        }

        _idle.Add((conversation, tokens));
    }

    /// <summary>Frees every idle conversation (before their executor goes).</summary>
    public void Clear()
    {
        foreach (var (conversation, _) in _idle) conversation.Dispose();
        _idle.Clear();
    }

    private static int CommonPrefix(List<LLamaToken> cached, LLamaToken[] prompt)
    {
        var most = Math.Min(cached.Count, prompt.Length - 1);
        var n = 0;
        while (n < most && cached[n] == prompt[n]) n++;
        return n;
    }
}
