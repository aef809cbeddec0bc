using System.Security.Cryptography;
using System.Text;

namespace Fleet.Stacks.Console;

/// <summary>Checks a presented console token in constant time (both sides hashed first, so lengths leak nothing either).</summary>
public sealed class ConsoleToken(ConsoleOptions options)
{
    /// <summary>The request header an action carries the token in; a custom header also forces a CORS preflight cross-origin.</summary>
    public const string Header = "X-Fleet-Console-Token";

    private readonly byte[]? _expected = options.Token is { } t ? SHA256.HashData(Encoding.UTF8.GetBytes(t)) : null;

    public bool Configured => _expected is not null;

    public bool Matches(string? presented) =>
        _expected is not null && presented is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(_expected, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
}
