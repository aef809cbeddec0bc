using System.Collections.Concurrent;
using LLama.Native;

namespace Fleet.Agent.Native;

/// <summary>
/// Process-wide sink for llama.cpp's log. The callback can be registered only once per process, so it forwards to
/// whatever listener is current and keeps recent warnings and errors: a corrupt GGUF reaches .NET only as
/// LoadWeightsFailedException, the reason ("invalid magic", "not within the file bounds") only in this log.
/// </summary>
public static class NativeLog
{
    private const int Keep = 64;
    private static readonly ConcurrentQueue<string> Recent = new();
    private static Action<LLamaLogLevel, string>? _listener;

    [ThreadStatic]
    private static List<string>? _capture;

    /// <summary>The delegate handed to LLamaSharp; kept in a static field so it is never collected.</summary>
    public static readonly NativeLogConfig.LLamaLogCallback Callback = OnNative;

    /// <summary>Where native lines go besides the recent buffer (the agent's logger).</summary>
    public static void Listen(Action<LLamaLogLevel, string>? listener) => _listener = listener;

    /// <summary>Recent warning and error lines, oldest first.</summary>
    public static IReadOnlyList<string> RecentProblems() => Recent.ToArray();

    /// <summary>
    /// Collects the warning and error lines llama.cpp logs on this thread until disposed. Model loading logs on the
    /// calling thread, so this attributes a load failure's reason to that load even when others run in parallel.
    /// </summary>
    public static IDisposable CaptureOnThisThread(out List<string> lines)
    {
        lines = _capture = [];
        return new Stop();
    }

    private sealed class Stop : IDisposable
    {
        public void Dispose() => _capture = null;
    }

    private static void OnNative(LLamaLogLevel level, string message)
    {
        if (level is LLamaLogLevel.Warning or LLamaLogLevel.Error)
        {
            Recent.Enqueue(message.TrimEnd());
            _capture?.Add(message.TrimEnd());
            while (Recent.Count > Keep) Recent.TryDequeue(out _);
        }

        _listener?.Invoke(level, message);
    }
}
