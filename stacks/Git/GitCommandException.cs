namespace Fleet.Stacks.Git;

/// <summary>A git command failed: the message names the command, the repository and git's own error.</summary>
public sealed class GitCommandException(string message) : Exception(message);
