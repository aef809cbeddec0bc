namespace Fleet.Agent.Configuration;

/// <summary>The node's bearer token. Never printed: <see cref="ToString"/> is redacted.</summary>
public sealed class NodeCredential(string token)
{
    public static NodeCredential None { get; } = new("");

    public bool IsPresent => Token.Length > 0;

    internal string Token { get; } = token;

    public override string ToString() => IsPresent ? "***" : "(none)";
}
