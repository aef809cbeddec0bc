using LLama;
using LLama.Native;
using LLama.Sampling;

namespace Fleet.Agent.Inference;

/// <summary>
/// One busy parallel slot: a conversation (KV sequence) in the shared context generating one choice of a request.
/// Choice 0 decodes the prompt; the other choices of an n &gt; 1 request are forks of it taken once the prompt is
/// decoded, so they share its KV.
/// </summary>
internal sealed class Slot
{
    /// <summary>Unread pieces at which a slot stops generating for a slow client, and resumes.</summary>
    internal const int PauseAt = 256, ResumeAt = 32;

    /// <summary>
    /// Prompt tokens decoded per loop step: a long prompt is fed in pieces, so the loop can drop it when its client
    /// leaves (or the drain ends) and other slots keep generating between its pieces. llama.cpp's own micro-batch.
    /// </summary>
    internal const int PrefillChunk = 512;

    private readonly StreamingTokenDecoder _decoder;
    private readonly BaseSamplingPipeline _sampler;
    private readonly StopMatcher _stop;
    private readonly PendingLogprobs? _logprobs;
    private readonly PromptTokenizer _pieces;
    private LLamaToken? _held;
    private int _prompted;

    private Slot(Sequence conversation, GenerationRequest request, int choice, PromptTokenizer pieces, List<LLamaToken> history, int prompted)
    {
        Request = request;
        Choice = choice;
        Conversation = conversation;
        History = history;
        _prompted = prompted;
        _pieces = pieces;
        _decoder = new StreamingTokenDecoder(conversation.Owner.Context);
        _stop = new StopMatcher(request.Stop);
        _logprobs = request.TopLogprobs is null ? null : new PendingLogprobs();
        // Each choice draws its own sample: with a seed, choice i uses seed + i, so the set of choices repeats.
        var seed = request.Sampling.Seed is { } s ? unchecked(s + (uint)choice) : (uint)Random.Shared.Next();
        _sampler = CreateSampler(request.Sampling, seed);
    }

    public GenerationRequest Request { get; }
    public int Choice { get; }
    public Sequence Conversation { get; }
    public int Generated { get; private set; }

    /// <summary>The tokens whose KV this conversation holds (what a later request may reuse).</summary>
    public List<LLamaToken> History { get; }

    /// <summary>Choices still to fork from this one once its prompt is decoded.</summary>
    public int PendingForks { get; private set; }

    /// <summary>Starts choice 0 on a cached conversation sharing a prefix of the prompt, or a fresh one.</summary>
    public static Slot Start(InferenceContext executor, GenerationRequest request, PromptCache cache, int busyAfter, PromptTokenizer pieces)
    {
        var (conversation, reused) = cache.Take(executor, request.PromptTokens, busyAfter);
        request.CachedTokens = reused;
        var slot = new Slot(conversation, request, 0, pieces, [.. request.PromptTokens.AsSpan(0, reused)], reused)
        {
            PendingForks = request.Choices - 1,
        };
        slot.PromptNext();
        return slot;
    }

    /// <summary>The other choices, forked from this one's decoded prompt (call before anything samples it).</summary>
    public List<Slot> Fork()
    {
        var forks = new List<Slot>(PendingForks);
        for (var choice = 1; choice <= PendingForks; choice++)
            forks.Add(new Slot(Conversation.Fork(), Request, choice, _pieces, [.. History], _prompted));
        PendingForks = 0;
        return forks;
    }

    /// <summary>True while part of the prompt still waits to be decoded.</summary>
    public bool Prefilling => _prompted < Request.PromptTokens.Length;

    /// <summary>Hands the next piece of the prompt to the batch (after the previous piece was decoded).</summary>
    public void PromptNext()
    {
        var count = Math.Min(PrefillChunk, Request.PromptTokens.Length - _prompted);
        var piece = Request.PromptTokens.AsSpan(_prompted, count);
        Conversation.Prompt(piece);
        History.AddRange(piece);
        _prompted += count;
    }

    /// <summary>Samples one token and streams its text; returns a finish reason when the choice is done.</summary>
    public FinishReason? Step(SafeLlamaModelHandle.Vocabulary vocab, int slotContext)
    {
        List<TokenAlternative>? top = null;
        var logNormalizer = 0f;
        Span<float> logits = default;
        if (Request.TopLogprobs is { } k)
        {
            logits = Conversation.Logits(); // the raw logits: sampling copies them, it does not change them
            logNormalizer = LogSoftmax.LogNormalizer(logits);
            top = [];
            foreach (var t in LogSoftmax.TopTokens(logits, k)) top.Add(new TokenAlternative(t, _pieces.PieceBytes(t), logits[t] - logNormalizer));
        }

        var token = _sampler.Sample(Conversation.Owner.Context.NativeHandle, Conversation.LogitIndex);
        // Counted before the end-of-generation check: llama-server's usage counts every sampled token, EOG included.
        Generated++;
        if (token.IsEndOfGeneration(vocab)) return FinishReason.Stop;
        _decoder.Add(token);
        var text = _decoder.Read();
        var safe = _stop.Push(text);
        List<TokenLogprob>? entries = null;
        if (_logprobs is not null)
        {
            _logprobs.Add(text.Length, new TokenLogprob((int)token, _pieces.PieceBytes(token), logits[(int)token] - logNormalizer, top!));
            entries = _logprobs.Release(safe.Length, _stop.Stopped);
        }

        Request.Write(new GenerationPiece(Choice, safe, entries));
        if (_stop.Stopped) return FinishReason.Stop;
        if (Generated >= Request.MaxTokens || Conversation.TokenCount + 1 >= slotContext) return FinishReason.Length;
        if (Request.Unread >= PauseAt)
        {
            // The client reads slower than we generate: keep the token and stop decoding this slot until it catches up.
            _held = token;
            return null;
        }

        Prompt(token);
        return null;
    }

    /// <summary>True while generation waits for the client to read (the next token is held, not in the batch).</summary>
    public bool Paused => _held is not null;

    /// <summary>Continues a paused slot once the client has read most of what was sent.</summary>
    public void TryResume()
    {
        if (_held is not { } token || Request.Unread > ResumeAt) return;
        _held = null;
        Prompt(token);
    }

    /// <summary>
    /// Ends this choice (and the choices not forked yet, with the same reason). The caller keeps or disposes
    /// <see cref="Conversation"/>.
    /// </summary>
    public void Finish(FinishReason reason, string? error)
    {
        if (reason is FinishReason.Length or FinishReason.Stop)
            Request.Write(new GenerationPiece(Choice, _stop.Flush(), _stop.Stopped ? null : _logprobs?.Flush()));
        _sampler.Dispose();
        Request.CompleteChoice(Choice, reason, Generated, error);
        for (var choice = 1; choice <= PendingForks; choice++) Request.CompleteChoice(choice, reason, 0, error);
    }

    /// <summary>
    /// llama.cpp's greedy sampler when nothing but the arg-max can come out (temperature 0, no logit bias, neutral
    /// penalties, no grammar): one pass over the logits, where the full chain also partially sorts them (top-k), and
    /// runs top-p, min-p, temperature and a draw. Same token: top-k/top-p/min-p always keep the best one, and
    /// temperature 0 keeps only it. Anything else gets the full chain, in llama.cpp's order.
    /// </summary>
    internal static BaseSamplingPipeline CreateSampler(SamplingSettings sampling, uint seed)
    {
        if (IsGreedy(sampling)) return new GreedySamplingPipeline();
        return new DefaultSamplingPipeline
        {
            Temperature = sampling.Temperature,
            TopP = sampling.TopP,
            Seed = seed,
            TopK = sampling.TopK,
            MinP = sampling.MinP,
            FrequencyPenalty = sampling.FrequencyPenalty,
            PresencePenalty = sampling.PresencePenalty,
            RepeatPenalty = sampling.RepeatPenalty,
            LogitBias = sampling.LogitBias?.ToDictionary(b => (LLamaToken)b.Key, b => b.Value) ?? [],
            Grammar = sampling.Grammar is { } g ? new Grammar(g, "root") : null,
            // Grammar first, over the whole vocabulary: the shortcuts that try the sampled token first can pick wrongly.
            GrammarOptimization = DefaultSamplingPipeline.GrammarOptimizationMode.None,
        };
    }

    /// <summary>True when <paramref name="sampling"/> can only ever pick the highest logit.</summary>
    internal static bool IsGreedy(SamplingSettings sampling) =>
        sampling.Temperature <= 0 && sampling.Grammar is null && sampling.LogitBias is not { Count: > 0 }
        && sampling.FrequencyPenalty == 0 && sampling.PresencePenalty == 0 && sampling.RepeatPenalty == 1;

    private void Prompt(LLamaToken token)
    {
        Conversation.Prompt(token);
        History.Add(token);
    }
}
