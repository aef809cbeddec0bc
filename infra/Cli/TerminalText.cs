using System.Text;

namespace Fleet.Infra.Cli;

/// <summary>Text bound for a terminal: control characters from config values are shown escaped, never interpreted.</summary>
public static class TerminalText
{
    /// <summary><paramref name="text"/> with every control character written as <c>\uXXXX</c>.</summary>
    public static string Safe(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text) sb.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return sb.ToString();
    }
}
