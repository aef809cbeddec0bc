using LLama;
using LLama.Batched;
using LLama.Native;
using LLama.Sampling;

namespace Fleet.Agent.Inference;

/// <summary>One busy parallel slot: a conversation (KV sequence) in the shared context and its request.</summary>
internal sealed class Slot : IDisposable
{
    private readonly StreamingTokenDecoder _decoder;
    private readonly DefaultSamplingPipeline _sampler;
    /// <summary>Unread pieces at which a slot stops generating for a slow client, and resumes.</summary>
    internal const int PauseAt = 256, ResumeAt = 32;

    /// <summary>
    /// Prompt tokens decoded per loop step: a long prompt is fed in pieces, so the loop can drop it when its client
    /// leaves (or the drain ends) and other slots keep generating between its pieces. llama.cpp's own micro-batch.
    /// </summary>
    internal const int PrefillChunk = 512;

    private readonly StopMatcher _stop;
    private LLamaToken? _held;
    private int _prompted;

    private Slot(BatchedExecutor executor, GenerationRequest request)
    {
        Request = request;
        Conversation = executor.Create();
        _decoder = new StreamingTokenDecoder(executor.Context);
        _stop = new StopMatcher(request.Stop);
        _sampler = new DefaultSamplingPipeline
        {
            Temperature = request.Sampling.Temperature,
            TopP = request.Sampling.TopP,
            Seed = request.Sampling.Seed ?? (uint)Random.Shared.Next(),
            TopK = request.Sampling.TopK,
            MinP = request.Sampling.MinP,
            FrequencyPenalty = request.Sampling.FrequencyPenalty,
            PresencePenalty = request.Sampling.PresencePenalty,
            RepeatPenalty = request.Sampling.RepeatPenalty,
            LogitBias = request.Sampling.LogitBias?.ToDictionary(b => (LLamaToken)b.Key, b => b.Value) ?? [],
        };
    }

    public GenerationRequest Request { get; }
    public Conversation Conversation { get; }
    public int Generated { get; private set; }

    public static Slot Start(BatchedExecutor executor, GenerationRequest request)
    {
        var slot = new Slot(executor, request);
        slot.PromptNext();
        return slot;
    }

    /// <summary>True while part of the prompt still waits to be decoded.</summary>
    public bool Prefilling => _prompted < Request.PromptTokens.Length;

    /// <summary>Hands the next piece of the prompt to the batch (after the previous piece was decoded).</summary>
    public void PromptNext()
    {
        var count = Math.Min(PrefillChunk, Request.PromptTokens.Length - _prompted);
        Conversation.Prompt(Request.PromptTokens.AsSpan(_prompted, count));
        _prompted += count;
    }

    /// <summary>Samples one token and streams its text; returns a finish reason when the request is done.</summary>
    public FinishReason? Step(SafeLlamaModelHandle.Vocabulary vocab, int slotContext)
    {
        var token = Conversation.Sample(_sampler);
        if (token.IsEndOfGeneration(vocab)) return FinishReason.Stop;
        Generated++;
        _decoder.Add(token);
        Request.Write(_stop.Push(_decoder.Read()));
        if (_stop.Stopped) return FinishReason.Stop;
        if (Generated >= Request.MaxTokens || Conversation.TokenCount + 1 >= slotContext) return FinishReason.Length;
        if (Request.Unread >= PauseAt)
        {
            // The client reads slower than we generate: keep the token and stop decoding this slot until it catches up.
            _held = token;
            return null;
        }

        Conversation.Prompt(token);
        return null;
    }

    /// <summary>True while generation waits for the client to read (the next token is held, not in the batch).</summary>
    public bool Paused => _held is not null;

    /// <summary>Continues a paused slot once the client has read most of what was sent.</summary>
    public void TryResume()
    {
        if (_held is not { } token || Request.Unread > ResumeAt) return;
        _held = null;
        Conversation.Prompt(token);
    }

    public void Finish(FinishReason reason, string? error)
    {
        if (reason is FinishReason.Length or FinishReason.Stop) Request.Write(_stop.Flush());
        Dispose();
        Request.Complete(new GenerationResult(reason, Request.PromptTokens.Length, Generated, error));
    }

    public void Dispose()
    {
        Conversation.Dispose();
        _sampler.Dispose();
    }
}
