using System.Text.RegularExpressions;

namespace Fleet.Policy.Secrets;

/// <summary>Finds secret material in text: known token shapes, private keys, and high-entropy strings.</summary>
public static partial class SecretScanner
{
    /// <summary>Output names that carry secrets whatever the resource (keys, passwords, command output marked secret elsewhere).</summary>
    public static readonly IReadOnlySet<string> SecretOutputs = new HashSet<string>(StringComparer.Ordinal)
    {
        "privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8", "result", "bcryptHash", "token", "password",
    };

    /// <summary>What kind of secret the text holds, or null. Values are never echoed back.</summary>
    public static string? Find(string text)
    {
        if (DoToken().IsMatch(text)) return "a DigitalOcean API token";
        if (SwarmToken().IsMatch(text)) return "a Docker Swarm join token";
        if (K3sToken().IsMatch(text)) return "a k3s join token";
        if (PrivateKey().IsMatch(text)) return "a private key block";
        if (HetznerToken().IsMatch(text)) return "a Hetzner Cloud API token";
        foreach (Match m in Word().Matches(text))
            if (m.Length >= 32 && Entropy(m.Value) >= 4.3 && HasMixedClasses(m.Value)) return "a high-entropy string (a key or password?)";
        return null;
    }

    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(string s)
    {
        var counts = s.GroupBy(c => c).Select(g => (double)g.Count() / s.Length);
        return -counts.Sum(p => p * Math.Log2(p));
    }

    private static bool HasMixedClasses(string s) =>
        new[] { s.Any(char.IsAsciiLetterUpper), s.Any(char.IsAsciiLetterLower), s.Any(char.IsAsciiDigit) }.Count(b => b) >= 3;

    [GeneratedRegex(@"\bdo[opr]_v1_[0-9a-f]{64}\b")]
    private static partial Regex DoToken();

    [GeneratedRegex(@"SWMTKN-1-[0-9a-z]{20,}-[0-9a-z]{20,}")]
    private static partial Regex SwarmToken();

    [GeneratedRegex(@"K10[0-9a-f]{32,}::[^\s""']+")]
    private static partial Regex K3sToken();

    [GeneratedRegex(@"-----BEGIN ([A-Z]+ )*PRIVATE KEY-----")]
    private static partial Regex PrivateKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9])(?=[A-Za-z0-9]*[A-Z])(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")]
    private static partial Regex HetznerToken();

    [GeneratedRegex(@"[A-Za-z0-9+/=_\-]{32,}")]
    private static partial Regex Word();
}
