namespace Fleet.Stacks.Console;

/// <summary>The console's own log lines (never the token, never a request body).</summary>
internal static partial class ConsoleLog
{
    [LoggerMessage(100, LogLevel.Warning, "refused console action {Path} from {Remote}: {Code}")]
    public static partial void Refused(ILogger logger, string path, string? remote, string code);

    [LoggerMessage(101, LogLevel.Debug, "throughput sample skipped: the gateway did not answer ({Reason})")]
    public static partial void SampleFailed(ILogger logger, string reason);
}
