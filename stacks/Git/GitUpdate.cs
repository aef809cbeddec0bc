namespace Fleet.Stacks.Git;

/// <summary>Where <see cref="GitRepository.UpdateAsync"/> left the working copy.</summary>
/// <param name="Commit">The commit checked out (full sha).</param>
/// <param name="FetchError">Why the fetch failed, when it did: the commit is then the last one fetched.</param>
public sealed record GitUpdate(string Commit, string? FetchError);
