using System.Threading.Channels;
using LLama.Native;

namespace Fleet.Agent.Inference;

/// <summary>
/// One admitted request travelling from HTTP to the inference loop. The loop writes text pieces to
/// <see cref="Output"/> and completes <see cref="Result"/>; the HTTP side reads both.
/// </summary>
public sealed class GenerationRequest(
    LLamaToken[] promptTokens,
    int maxTokens,
    IReadOnlyList<string> stop,
    SamplingSettings sampling,
    long admittedTimestamp,
    CancellationToken cancellation)
{
    private readonly Channel<string> _output = Channel.CreateUnbounded<string>(new() { SingleWriter = true }); // multi-reader flavour: it can Count
    private readonly TaskCompletionSource<GenerationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Action? _release;

    public LLamaToken[] PromptTokens { get; } = promptTokens;
    public int MaxTokens { get; } = maxTokens;
    public IReadOnlyList<string> Stop { get; } = stop;
    public SamplingSettings Sampling { get; } = sampling;
    public long AdmittedTimestamp { get; } = admittedTimestamp;
    public CancellationToken Cancellation { get; } = cancellation;

    /// <summary>Generated text pieces in order; completed when generation ends.</summary>
    public ChannelReader<string> Output => _output.Reader;

    public Task<GenerationResult> Result => _result.Task;

    /// <summary>Pieces written but not read yet by the HTTP side.</summary>
    internal int Unread => _output.Reader.Count;

    internal void Write(string text)
    {
        if (text.Length > 0) _output.Writer.TryWrite(text);
    }

    internal void Complete(GenerationResult result)
    {
        _output.Writer.TryComplete();
        _result.TrySetResult(result);
        Release();
    }

    /// <summary>Sets what frees this request's admission; runs at most once (loop or HTTP side, whichever is first).</summary>
    internal void OnRelease(Action release) => _release = release;

    internal void Release() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
