using System.Threading.Channels;
using LLama.Native;

namespace Fleet.Agent.Inference;

/// <summary>
/// One admitted request travelling from HTTP to the inference loop. The loop writes pieces of every choice to
/// <see cref="Output"/> and completes <see cref="Result"/> once all choices are done; the HTTP side reads both.
/// </summary>
public sealed class GenerationRequest(
    LLamaToken[] promptTokens,
    int maxTokens,
    IReadOnlyList<string> stop,
    SamplingSettings sampling,
    long admittedTimestamp,
    CancellationToken cancellation)
{
    private readonly Channel<GenerationPiece> _output = Channel.CreateUnbounded<GenerationPiece>(new() { SingleWriter = true }); // multi-reader flavour: it can Count
    private readonly TaskCompletionSource<GenerationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ChoiceResult?[]? _choices;
    private string? _error;
    private Action? _release;

    public LLamaToken[] PromptTokens { get; } = promptTokens;
    public int MaxTokens { get; } = maxTokens;
    public IReadOnlyList<string> Stop { get; } = stop;
    public SamplingSettings Sampling { get; } = sampling;
    public long AdmittedTimestamp { get; } = admittedTimestamp;
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Choices generated from the one prompt (OpenAI <c>n</c>); each takes a slot.</summary>
    public int Choices { get; init; } = 1;

    /// <summary>Alternatives reported per generated token; null: no log-probabilities at all.</summary>
    public int? TopLogprobs { get; init; }

    /// <summary>Prompt tokens whose KV came from an earlier request (set when the request takes its slot).</summary>
    public int CachedTokens { get; internal set; }

    /// <summary>Generated pieces of every choice in order; completed when generation ends.</summary>
    public ChannelReader<GenerationPiece> Output => _output.Reader;

    public Task<GenerationResult> Result => _result.Task;

    /// <summary>Pieces written but not read yet by the HTTP side.</summary>
    internal int Unread => _output.Reader.Count;

    internal void Write(GenerationPiece piece)
    {
        if (piece.Text.Length > 0 || piece.Logprobs is { Count: > 0 }) _output.Writer.TryWrite(piece);
    }

    /// <summary>Ends one choice; the request completes when its last choice does.</summary>
    internal void CompleteChoice(int choice, FinishReason finish, int generated, string? error)
    {
        _choices ??= new ChoiceResult?[Choices];
        _choices[choice] = new ChoiceResult(finish, generated);
        if (error is not null) _error ??= error;
        if (_choices.Any(c => c is null)) return;
        var all = _choices.Select(c => c!).ToList();
        // One failed or abandoned choice decides the request: the HTTP side answers for all of them at once.
        var overall = all.Any(c => c.Finish == FinishReason.Error) ? FinishReason.Error
            : all.Any(c => c.Finish == FinishReason.Cancelled) ? FinishReason.Cancelled : all[0].Finish;
        Complete(new GenerationResult(overall, PromptTokens.Length, all.Sum(c => c.CompletionTokens), _error)
        {
            Choices = all,
            CachedTokens = CachedTokens,
        });
    }

    /// <summary>Ends the whole request at once (every choice with the same result).</summary>
    internal void Complete(GenerationResult result)
    {
        if (result.Choices.Count != Choices)
            result = result with { Choices = [.. Enumerable.Repeat(new ChoiceResult(result.Finish, 0), Choices)] };
        _output.Writer.TryComplete();
        _result.TrySetResult(result);
        Release();
    }

    /// <summary>Sets what frees this request's admission; runs at most once (loop or HTTP side, whichever is first).</summary>
    internal void OnRelease(Action release) => _release = release;

    internal void Release() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
