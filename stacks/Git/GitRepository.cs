using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace Fleet.Stacks.Git;

/// <summary>
/// The service's own clone in <c>FLEET_PROJECT_DIR</c>, driven through the <c>git</c> CLI (CliWrap) with an
/// allow-listed environment (<see cref="GitEnvironment"/>). The service only reads from the remote: it never commits or pushes.
/// </summary>
public sealed class GitRepository(GitOptions options, string directory)
{
    private readonly GitEnvironment _environment = new(options);

    /// <summary>Lock files a git command stopped by a crash leaves behind; the service is this clone's only user.</summary>
    private static readonly string[] LockFiles = ["index.lock", "HEAD.lock", "packed-refs.lock"];

    /// <summary>
    /// At start: clones into the folder when it is missing or empty; otherwise requires it to be a clone of
    /// <see cref="GitOptions.Url"/>. Then brings it to <c>origin/&lt;ref&gt;</c>; a fetch that fails here is an error.
    /// </summary>
    /// <returns>The commit checked out.</returns>
    public async Task<string> PrepareAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(options.StateDirectory); // ssh keeps the accepted host key there (never inside the clone)
        if (!Directory.Exists(directory) || !Directory.EnumerateFileSystemEntries(directory).Any())
        {
            Directory.CreateDirectory(directory);
            await RunAsync(["clone", "--branch", options.Ref, "--", options.Url, "."], ct).ConfigureAwait(false);
        }
        else
        {
            string? origin = null;
            var top = await TryRunAsync(["rev-parse", "--show-cdup"], ct).ConfigureAwait(false);
            if (top is not null) origin = (await TryRunAsync(["config", "--get", "remote.origin.url"], ct).ConfigureAwait(false))?.Trim();
            if (top is null || top.Trim().Length > 0 || origin != options.Url)
                throw new GitCommandException(
                    $"FLEET_PROJECT_DIR={directory} is not empty and is not a clone of FLEET_GIT_URL={options.Url} ({(top is null || top.Trim().Length > 0 ? "not the top of a git repository" : $"its origin is {origin ?? "not set"}")}): " +
                    "empty the folder (the service clones into it) or point FLEET_PROJECT_DIR at an empty one");
        }
        var update = await UpdateAsync(ct).ConfigureAwait(false);
        if (update.FetchError is { } error) throw new GitCommandException(error);
        return update.Commit;
    }

    /// <summary>
    /// <see cref="PrepareAsync"/> while the settings are read (before the host starts): null when the folder is a
    /// current clone, else the problem, naming <c>FLEET_GIT_URL</c>/<c>FLEET_GIT_REF</c> and git's own error.
    /// </summary>
    public static string? PrepareAtStart(GitOptions options, string directory)
    {
        try
        {
            new GitRepository(options, directory).PrepareAsync(CancellationToken.None).GetAwaiter().GetResult();
            return null;
        }
        catch (GitCommandException e)
        {
            return $"FLEET_GIT_URL={options.Url} FLEET_GIT_REF={options.Ref}: {e.Message}";
        }
    }

    /// <summary>
    /// Fetches <c>&lt;ref&gt;</c>, resets the checkout hard to it and removes untracked files (ignored ones, such as
    /// build outputs, are kept). A failed fetch is reported in the result and the last fetched commit is used, so a git
    /// outage does not stop scaling; a failed reset or clean throws.
    /// </summary>
    public async Task<GitUpdate> UpdateAsync(CancellationToken ct)
    {
        string? fetchError = null;
        try
        {
            await RunAsync(["fetch", "--no-tags", "--force", "origin", $"+{options.Ref}:{options.TrackingRef}"], ct).ConfigureAwait(false);
        }
        catch (GitCommandException e)
        {
            fetchError = e.Message;
        }
        await RunAsync(["reset", "--hard", "--quiet", options.TrackingRef], ct).ConfigureAwait(false);
        await RunAsync(["clean", "-d", "--force", "--quiet"], ct).ConfigureAwait(false);
        var commit = (await RunAsync(["rev-parse", "HEAD"], ct).ConfigureAwait(false)).Trim();
        return new GitUpdate(commit, fetchError);
    }

    /// <summary>Removes lock files a killed git command left (the caller holds the only right to run git here).</summary>
    public IReadOnlyList<string> RemoveStaleLocks()
    {
        var removed = new List<string>();
        foreach (var path in LockFiles.Select(f => Path.Combine(directory, ".git", f)).Append(Path.Combine(directory, ".git", options.TrackingRef + ".lock")))
        {
            if (!File.Exists(path)) continue;
            File.Delete(path);
            removed.Add(path);
        }
        return removed;
    }

    private async Task<string?> TryRunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        try { return await RunAsync(args, ct).ConfigureAwait(false); }
        catch (GitCommandException) { return null; }
    }

    private async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        using var limit = new CancellationTokenSource(GitOptions.CommandTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap("git")
                .WithArguments(args)
                .WithWorkingDirectory(directory)
                .WithEnvironmentVariables(_environment.ForChild())
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(linked.Token).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw new GitCommandException($"cannot run git ({e.Message}): install git (and openssh-client for ssh URLs) on PATH");
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new GitCommandException($"`git {string.Join(' ', args)}` ({options.Url}) did not finish within {GitOptions.CommandTimeout.TotalSeconds:0} s and was stopped");
        }
        if (result.ExitCode != 0)
            throw new GitCommandException($"`git {string.Join(' ', args)}` in {directory} failed (exit {result.ExitCode}, repository {options.Url}, ref {options.Ref}): {result.StandardError.Trim()}");
        return result.StandardOutput;
    }
}
