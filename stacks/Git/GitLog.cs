using Microsoft.Extensions.Logging;

namespace Fleet.Stacks.Git;

/// <summary>The git mode's log lines. The deploy key and credentials never appear: only paths, URLs (which carry no credentials) and commits.</summary>
public static partial class GitLog
{
    [LoggerMessage(60, LogLevel.Information, "{Stack}: run {RunId} uses commit {Commit} of {Url} {Ref}")]
    public static partial void RunCommit(ILogger logger, string stack, string runId, string commit, string url, string @ref);

    [LoggerMessage(61, LogLevel.Warning, "git fetch of {Url} {Ref} failed; using the last fetched commit {Commit}: {Error}")]
    public static partial void FetchFailed(ILogger logger, string url, string @ref, string commit, string error);

    [LoggerMessage(62, LogLevel.Information, "{Stack}: node lists set from the service's records over git's: {Changes}")]
    public static partial void Reapplied(ILogger logger, string stack, string changes);

    [LoggerMessage(63, LogLevel.Warning, "removed {Path}, left behind by a git command that was stopped")]
    public static partial void StaleLock(ILogger logger, string path);
}
