using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Fleet.Agent.Configuration;
using Fleet.Agent.Hosting;
using Fleet.Agent.Inference.Templates;
using Fleet.Agent.Models;
using Fleet.Agent.Native;
using Fleet.Agent.Telemetry;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fleet.Agent.Inference;

/// <summary>
/// Loads the GGUF in the background and runs the one inference loop: a single long-lived
/// <see cref="InferenceContext"/> whose parallel slots are fed from a channel (continuous batching). Every step
/// decodes one batch holding the next token of every busy slot and the prompts of newly admitted ones.
/// </summary>
public sealed partial class LlamaEngine(
    AgentOptions options,
    ModelSource modelSource,
    AgentMetrics metrics,
    StartupFailure startupFailure,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<LlamaEngine> logger) : BackgroundService
{
    private readonly Channel<GenerationRequest> _queue = Channel.CreateUnbounded<GenerationRequest>(new() { SingleReader = true });
    private readonly CancellationTokenSource _drainDeadline = new();
    private readonly TokenizerThreads _tokenizerThreads = new(Math.Clamp(Environment.ProcessorCount / 4, 1, 4));
    private PromptTokenizer? _tokenizer;
    private ChatFormat _chatFormat = new(ChatTemplateFamily.ChatMl, Recognised: false);
    private volatile EngineState _state = EngineState.Loading;
    private LLamaWeights? _weights;
    private InferenceContext? _executor;
    private ModelParams? _parameters;
    private readonly PromptCache _cache = new(options.ParallelSlots);
    private int _reserved; // slots taken by admitted requests (one per choice); the loop's alone
    private Embedder? _embedder;

    public Admission Admission { get; } = new(options.ParallelSlots, options.QueueLimit);
    public EngineState State => _state;
    public ModelFile? Model { get; private set; }
    public BackendInfo? Backend { get; private set; }

    /// <summary>Slots waiting for a slow client to read (generation paused, slot still held).</summary>
    public int PausedSlots { get; private set; }

    /// <summary>Tokens one request may use (prompt + generation): the context divided among the slots.</summary>
    public int SlotContext { get; } = options.ContextSize / options.ParallelSlots;

    /// <summary>
    /// Most UTF-8 bytes of prompt text worth tokenizing: beyond <c>SlotContext</c> × the longest token's bytes a
    /// prompt cannot fit; FLEET_MAX_PROMPT_BYTES (default 32 bytes per token of a slot) caps it further. 0 until loaded.
    /// </summary>
    public int MaxPromptBytes { get; private set; }

    /// <summary>Bytes of text the longest ordinary token of the model stands for.</summary>
    /// <summary>Tokens in the model's vocabulary (0 before it loads).</summary>
    public int VocabSize => _weights?.NativeHandle.Vocab.Count ?? 0;

    public int LongestTokenBytes => _tokenizer?.LongestPieceBytes ?? 0;

    /// <summary>
    /// Applies the GGUF's chat template and tokenizes on a tokenizer thread: only the template's own markers become
    /// control tokens. Cancelled by <paramref name="cancellationToken"/> or when the drain time is up.
    /// </summary>
    public Task<PreparedPrompt> PrepareChatAsync(IReadOnlyList<ChatTurn> turns, CancellationToken cancellationToken,
        IReadOnlyList<ChatTool>? tools = null) =>
        PrepareAsync(_ => ChatRenderer.Render(_chatFormat, turns, time.GetUtcNow(), tools), cancellationToken);

    /// <summary>How chat prompts are written for the loaded model (its template family; ChatML before it loads).</summary>
    internal ChatFormat ChatFormat => _chatFormat;

    /// <summary>Tokenizes a raw completion prompt (special tokens in user text are not honoured).</summary>
    public Task<PreparedPrompt> PrepareTextAsync(string prompt, CancellationToken cancellationToken) =>
        PrepareAsync(_ => [new PromptPart(prompt, FromTemplate: false)], cancellationToken);

    /// <summary>
    /// Tokenizes client text for /tokenize on a tokenizer thread, special tokens parsed off; BOS/EOS as the model asks
    /// only with <paramref name="addSpecial"/>. The caller bounds the text (prompt byte limit): every token it yields
    /// stands for at least one byte, so the token count is bounded too.
    /// </summary>
    public Task<LLamaToken[]> TokenizeAsync(string content, bool addSpecial, CancellationToken cancellationToken) =>
        OnTokenizerAsync((t, ct) => t.Tokenize([new PromptPart(content, FromTemplate: false)], int.MaxValue, ct, addSpecial),
            cancellationToken);

    /// <summary>Each token's text (UTF-8 bytes, not stripped) for /tokenize with pieces.</summary>
    public Task<byte[][]> PiecesAsync(LLamaToken[] tokens, CancellationToken cancellationToken) =>
        OnTokenizerAsync((t, _) => tokens.Select(token => t.PieceBytes(token)).ToArray(), cancellationToken);

    /// <summary>Text of token ids (checked against the vocabulary by the caller) for /detokenize.</summary>
    public Task<string> DetokenizeAsync(LLamaToken[] tokens, CancellationToken cancellationToken) =>
        OnTokenizerAsync((t, ct) => t.Detokenize(tokens, ct), cancellationToken);

    private async Task<T> OnTokenizerAsync<T>(Func<PromptTokenizer, CancellationToken, T> job, CancellationToken cancellationToken)
    {
        var tokenizer = _tokenizer ?? throw new InvalidOperationException("model not loaded");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _drainDeadline.Token);
        var ct = linked.Token;
        return await _tokenizerThreads.RunAsync(() => job(tokenizer, ct), ct);
    }

    /// <summary>True when the model declares a pooling type (an embedding model): <c>/v1/embeddings</c> serves it.</summary>
    public bool EmbeddingsSupported => _embedder is not null;

    /// <summary>Most tokens one embeddings input may have (a slot's context).</summary>
    public int EmbeddingMaxTokens => _embedder?.MaxTokens ?? 0;

    /// <summary>The L2-normalised embedding of one tokenized input, on the embedding context (one at a time).</summary>
    public async Task<float[]> EmbedAsync(LLamaToken[] tokens, CancellationToken cancellationToken)
    {
        var embedder = _embedder ?? throw new InvalidOperationException("this model does not produce embeddings");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _drainDeadline.Token);
        return await embedder.EmbedAsync(tokens, linked.Token);
    }

    /// <summary>Hands an admitted request to the inference loop (or fails it when the loop has ended).</summary>
    public void Enqueue(GenerationRequest request)
    {
        if (!_queue.Writer.TryWrite(request))
            request.Complete(new(FinishReason.Error, request.PromptTokens.Length, 0, "the node shut down before this request started"));
    }

    /// <summary>
    /// Lets admitted requests finish (bounded by FLEET_DRAIN_TIMEOUT_SECONDS) before the loop stops, whatever order
    /// the host stops its services in.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!await WaitIdleAsync(cancellationToken)) LogDrainTimedOut(logger, Admission.InSystem);
        await base.StopAsync(cancellationToken);
    }

    /// <summary>
    /// Waits until no admitted request is left, at most the drain timeout (+2 s for the deadline to take effect).
    /// Wall-clock on purpose: a shutdown bound must hold even under a test's fake TimeProvider.
    /// </summary>
    public async Task<bool> WaitIdleAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Admission.InSystem > 0 && State == EngineState.Ready && !cancellationToken.IsCancellationRequested
               && Stopwatch.GetElapsedTime(started) < options.DrainTimeout + TimeSpan.FromSeconds(2))
            await Task.Delay(TimeSpan.FromMilliseconds(20), CancellationToken.None);
        return Admission.InSystem == 0;
    }

    private LLamaWeights Weights => _weights ?? throw new InvalidOperationException("model not loaded");

    private async Task<PreparedPrompt> PrepareAsync(Func<PromptTokenizer, IReadOnlyList<PromptPart>> parts, CancellationToken cancellationToken)
    {
        var tokenizer = _tokenizer ?? throw new InvalidOperationException("model not loaded");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _drainDeadline.Token);
        var ct = linked.Token;
        var tokens = await _tokenizerThreads.RunAsync(() => tokenizer.Tokenize(parts(tokenizer), SlotContext, ct), ct);
        return new PreparedPrompt(tokens, SlotContext - tokens.Length);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // In-flight work gets FLEET_DRAIN_TIMEOUT_SECONDS from the stop signal, whichever order the host stops in.
        await using var drainTimer = lifetime.ApplicationStopping.Register(() => _drainDeadline.CancelAfter(options.DrainTimeout));
        try
        {
            // Load once the server listens: start-up is not held up by the weights, and a failed load can stop
            // a host that has finished starting.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
                await started.Task.WaitAsync(stoppingToken);
            await LoadAsync(stoppingToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // Anything else here (a native library that cannot load, e.g. libgomp1 missing) is just as fatal.
            var code = e is ModelDownloadException or HttpRequestException ? ExitCodes.ModelUnavailable : ExitCodes.ModelLoadFailed;
            var reason = e is ModelLoadException or ModelDownloadException ? e.Message : $"{e.GetType().Name}: {e.Message}";
            startupFailure.Fail(code, reason);
            LogStartFailed(logger, reason);
            lifetime.StopApplication();
            _state = EngineState.Failed; // last: whoever waits for it sees the reason recorded and the stop requested
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _state = EngineState.Ready;
        try
        {
            await RunLoopAsync(stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // A bug or native failure in the loop: requests were completed by the loop's finally; stop the node
            // with a distinct exit code rather than keep accepting work nobody will serve.
            startupFailure.Fail(ExitCodes.EngineFailed, $"{e.GetType().Name}: {e.Message}");
            LogLoopCrashed(logger, e);
            lifetime.StopApplication();
        }
        finally
        {
            _state = EngineState.Stopped;
            _executor?.Dispose();
            ReleaseWeights();
        }
    }

    /// <summary>
    /// Frees the weights once no tokenization uses them (llama.cpp tokenizes through a raw vocabulary pointer, so
    /// freeing under it crashes the process). Tokenizing stops within one chunk of the cancellation; if a thread is
    /// still busy after that, the weights are left to the process exit rather than hold up shutdown.
    /// </summary>
    private void ReleaseWeights()
    {
        _drainDeadline.Cancel();
        _tokenizerThreads.Dispose();
        var embedderIdle = _embedder?.TryDispose() ?? true;
        if (_tokenizerThreads.WaitIdle(TimeSpan.FromSeconds(1)) && embedderIdle) _weights?.Dispose();
        else LogTokenizerBusy(logger);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Model = await modelSource.ResolveAsync(ct);
        NativeBackend.Configure(options);
        var started = time.GetTimestamp();
        var parameters = new ModelParams(Model.Path)
        {
            ContextSize = (uint)options.ContextSize,
            GpuLayerCount = options.GpuLayers ?? 999, // 999 = every layer; llama.cpp ignores it on a CPU-only build
            Threads = options.Threads,
            BatchThreads = options.Threads,
            SeqMax = (uint)options.ParallelSlots,
            BatchSize = (uint)Math.Max(SlotContext, 512),
        };
        (_weights, _executor) = await WeightsLoader.LoadAsync(parameters, ct);
        _parameters = parameters;
        _tokenizer = PromptTokenizer.Create(_weights.NativeHandle);
        _chatFormat = DetectChatFormat(_weights, _tokenizer);
        if (Embedder.DeclaredPooling(_weights) is { } pooling)
            _embedder = Embedder.Create(_weights, Model.Path, pooling, SlotContext, options.Threads);
        var derived = (long)SlotContext * _tokenizer.LongestPieceBytes;
        MaxPromptBytes = (int)Math.Min(derived, options.MaxPromptBytes ?? Math.Min(32L * SlotContext, int.MaxValue));

        metrics.ModelLoadSeconds = time.GetElapsedTime(started).TotalSeconds;
        Backend = NativeBackend.Describe();
        LogLoaded(logger, Model.Id, metrics.ModelLoadSeconds * 1000, Backend.Name, Backend.AvxLevel, Backend.BuildFlavour,
            string.Join(",", Backend.Devices), Backend.GpuOffload, options.ParallelSlots, SlotContext);
        LogSystemInfo(logger, Backend.SystemInfo);
        LogPromptLimit(logger, MaxPromptBytes, _tokenizer.LongestPieceBytes, SlotContext);
        if (_chatFormat.Recognised) LogChatFormat(logger, _chatFormat.Name);
        else LogChatFormatFallback(logger, _weights.Metadata.ContainsKey(ChatTemplateKey) ? "is of no family the agent renders" : "is missing");
        if (options.GpuLayers is > 0 and var layers && Backend.Name == "cpu")
            LogGpuLayersIgnored(logger, layers);
    }

    private const string ChatTemplateKey = "tokenizer.chat_template";

    private static ChatFormat DetectChatFormat(LLamaWeights weights, PromptTokenizer tokenizer)
    {
        var eos = weights.NativeHandle.Vocab.EOS is { } token ? Encoding.UTF8.GetString(tokenizer.PieceBytes(token)) : "</s>";
        return ChatFormat.Detect(weights.Metadata.GetValueOrDefault(ChatTemplateKey), eos);
    }

    private async Task RunLoopAsync(CancellationToken ct)
    {
        var vocab = _weights!.NativeHandle.Vocab;
        var active = new List<Slot>(options.ParallelSlots);
        GenerationRequest? next = null; // the head of the queue while it waits for enough free slots (n > 1)
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var executor = _executor!;
                while (next is not null || _queue.Reader.TryRead(out next))
                {
                    if (next.Cancellation.IsCancellationRequested)
                    {
                        next.Complete(new(FinishReason.Cancelled, next.PromptTokens.Length, 0));
                        next = null;
                        continue;
                    }

                    if (_drainDeadline.IsCancellationRequested)
                    {
                        next.Complete(new(FinishReason.Error, next.PromptTokens.Length, 0, "the node shut down before this request started"));
                        next = null;
                        continue;
                    }

                    // A request takes a slot per choice, all at once, in arrival order (no overtaking).
                    if (_reserved + next.Choices > options.ParallelSlots) break;
                    _reserved += next.Choices;
                    active.Add(Slot.Start(executor, next, _cache, _reserved, _tokenizer!));
                    for (var c = 0; c < next.Choices; c++) Admission.SlotTaken();
                    next = null;
                }

                if (active.Count == 0)
                {
                    await _queue.Reader.WaitToReadAsync(ct);
                    continue;
                }

                // Paused slots (slow readers) hold their next token outside the batch, so they can finish or
                // resume here.
                var paused = 0;
                for (var i = active.Count - 1; i >= 0; i--)
                {
                    var slot = active[i];
                    if (!slot.Paused) continue;
                    if (slot.Request.Cancellation.IsCancellationRequested) Finish(active, i, FinishReason.Cancelled);
                    else if (_drainDeadline.IsCancellationRequested) Finish(active, i, FinishReason.Length);
                    else slot.TryResume();
                    if (slot.Paused) paused++;
                }

                PausedSlots = paused;
                if (paused == active.Count)
                {
                    // Every slot waits for its client: idle-poll (wall clock, like any socket wait) or take new work.
                    var idle = Task.Delay(5, ct);
                    await (next is null && _reserved < options.ParallelSlots ? Task.WhenAny(_queue.Reader.WaitToReadAsync(ct).AsTask(), idle) : idle);
                    continue;
                }

                // On a thread-pool thread, as LLamaSharp's BatchedExecutor does: measured on 2 shared cores, calling
                // llama_decode from one dedicated loop thread instead made streams 2-5x slower (the HTTP writes then
                // start while llama.cpp's OpenMP threads compute, and preempt them mid-graph).
                var result = await Task.Run(executor.Decode, CancellationToken.None);
                if (result != DecodeResult.Ok)
                {
                    // The failed batch stays queued inside the executor and would poison every later step:
                    // fail what is in flight and start over with a fresh context (the weights stay loaded).
                    LogDecodeFailed(logger, result.ToString());
                    for (var i = active.Count - 1; i >= 0; i--) Finish(active, i, FinishReason.Error, $"decode failed: {result}");
                    _cache.Clear();
                    executor.Dispose();
                    _executor = new InferenceContext(_weights, _parameters!);
                    continue;
                }

                // The other choices of an n > 1 request fork from choice 0 as soon as its prompt is decoded, before
                // anything samples it: they share the prompt's KV and sample the same logits in this step.
                for (var i = active.Count - 1; i >= 0; i--)
                    if (active[i] is { PendingForks: > 0, Prefilling: false, Paused: false } parent && parent.Conversation.RequiresSampling)
                        active.AddRange(parent.Fork());

                var sampled = 0;
                for (var i = active.Count - 1; i >= 0; i--)
                {
                    var slot = active[i];
                    if (slot.Paused || !slot.Conversation.RequiresSampling) continue;

                    // A client that went away gives its slot back now. Only here, between decode and the next
                    // prompt, does its conversation have no token waiting in the shared batch.
                    if (slot.Request.Cancellation.IsCancellationRequested)
                    {
                        Finish(active, i, FinishReason.Cancelled);
                        continue;
                    }

                    // Shutting down and the drain time is up: end the answer here, cleanly ("length" + [DONE]).
                    if (_drainDeadline.IsCancellationRequested)
                    {
                        Finish(active, i, FinishReason.Length);
                        continue;
                    }

                    if (slot.Prefilling)
                    {
                        slot.PromptNext();
                        continue;
                    }

                    FinishReason? outcome;
                    try
                    {
                        outcome = slot.Step(vocab, SlotContext);
                    }
                    catch (Exception e) when (slot.Request.Sampling.Grammar is not null)
                    {
                        // llama.cpp refused the request's grammar (its sampler is built at the first sample): fail
                        // this request, not the loop every slot shares.
                        LogGrammarFailed(logger, e.GetType().Name);
                        Finish(active, i, FinishReason.Error, "the response_format grammar could not be applied");
                        continue;
                    }

                    sampled++;
                    if (slot.Generated == 1 && slot.Choice == 0) metrics.FirstToken(time.GetElapsedTime(slot.Request.AdmittedTimestamp));
                    if (outcome is { } finish) Finish(active, i, finish);
                }

                metrics.Generated(sampled);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            // Whatever is still here was not finished by the drain deadline or its client: tell it the truth.
            for (var i = active.Count - 1; i >= 0; i--) Finish(active, i, FinishReason.Error, "inference stopped");
            _cache.Clear();
            next?.Complete(new(FinishReason.Error, next.PromptTokens.Length, 0, "inference stopped before this request started"));
            _queue.Writer.TryComplete(); // later arrivals are failed by Enqueue instead of waiting forever
            while (_queue.Reader.TryRead(out var left))
                left.Complete(new(FinishReason.Error, left.PromptTokens.Length, 0, "inference stopped before this request started"));
        }
    }

    private void Finish(List<Slot> active, int index, FinishReason reason, string? error = null)
    {
        var slot = active[index];
        active.RemoveAt(index);
        var freed = 1 + slot.PendingForks;
        _reserved -= freed;
        for (var c = 0; c < freed; c++) Admission.SlotFreed();
        if (slot.Choice == 0)
        {
            metrics.Tokens(slot.Request.PromptTokens.Length, 0);
            metrics.CachedPrompt(slot.Request.CachedTokens);
        }

        metrics.Tokens(0, slot.Generated);
        slot.Finish(reason, error);
        // A conversation that ended cleanly keeps its KV for a later request sharing its prefix (bounded, see PromptCache).
        if (reason != FinishReason.Error) _cache.Keep(slot.Conversation, slot.History);
        else slot.Conversation.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "model {ModelId} loaded in {LoadMs:F1} ms; backend {Backend} (avx: {Avx}, built with {Flavour}), devices [{Devices}], gpu offload {GpuOffload}; {Slots} slots x {SlotContext} tokens")]
    private static partial void LogLoaded(ILogger logger, string modelId, double loadMs, string backend, string avx, string flavour,
        string devices, bool gpuOffload, int slots, int slotContext);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "prompts up to {MaxPromptBytes} bytes are tokenized (longest token {LongestTokenBytes} bytes x {SlotContext} tokens a slot, or FLEET_MAX_PROMPT_BYTES)")]
    private static partial void LogPromptLimit(ILogger logger, int maxPromptBytes, int longestTokenBytes, int slotContext);

    [LoggerMessage(Level = LogLevel.Information, Message = "chat prompts use the model's chat template: {Family}")]
    private static partial void LogChatFormat(ILogger logger, string family);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the GGUF's tokenizer.chat_template {Why} (known: ChatML/Qwen, Llama 3.x, " +
        "Mistral, Gemma, Phi-3): chat prompts fall back to ChatML (<|im_start|>role ... <|im_end|>); serve a GGUF with a known " +
        "template, or send prompts formatted by the client to /v1/completions")]
    private static partial void LogChatFormatFallback(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "llama.cpp system info: {SystemInfo}")]
    private static partial void LogSystemInfo(ILogger logger, string systemInfo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FLEET_GPU_LAYERS={Layers} is ignored: the loaded backend is CPU only")]
    private static partial void LogGpuLayersIgnored(ILogger logger, int layers);

    [LoggerMessage(Level = LogLevel.Critical, Message = "inference loop failed; stopping the agent")]
    private static partial void LogLoopCrashed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "agent cannot start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "drain timeout: cancelling {Count} requests still in flight")]
    private static partial void LogDrainTimedOut(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "a tokenizer thread is still busy at shutdown: the weights are left to the process exit")]
    private static partial void LogTokenizerBusy(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "a request's grammar failed in llama.cpp ({Error}); that request failed")]
    private static partial void LogGrammarFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "llama.cpp decode failed ({Result}); failing the requests in flight")]
    private static partial void LogDecodeFailed(ILogger logger, string result);
}
