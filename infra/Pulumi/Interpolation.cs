using System.Text;

namespace Fleet.Infra.Pulumi;

/// <summary>Splits a Pulumi YAML string into literal text and <c>${…}</c> references, honouring <c>$$</c> escapes.</summary>
public static class Interpolation
{
    /// <summary>A part of an interpolated string: literal text, or a reference path when <see cref="IsReference"/>.</summary>
    public readonly record struct Part(string Text, bool IsReference);

    public static IReadOnlyList<Part> Parse(string raw)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '$' && i + 1 < raw.Length && raw[i + 1] == '$') { literal.Append('$'); i++; continue; }
            if (raw[i] == '$' && i + 1 < raw.Length && raw[i + 1] == '{')
            {
                var end = raw.IndexOf('}', i + 2);
                if (end < 0) throw new FormatException($"unterminated ${{ in \"{raw}\"");
                if (literal.Length > 0) { parts.Add(new(literal.ToString(), false)); literal.Clear(); }
                parts.Add(new(raw[(i + 2)..end], true));
                i = end;
                continue;
            }
            literal.Append(raw[i]);
        }
        if (literal.Length > 0) parts.Add(new(literal.ToString(), false));
        return parts;
    }

    /// <summary>The root name of a reference path: <c>manager</c> for <c>manager.ipv4AddressPrivate</c>.</summary>
    public static string Root(string path)
    {
        if (path.StartsWith("[\"", StringComparison.Ordinal)) return path[2..path.IndexOf("\"]", StringComparison.Ordinal)];
        var end = path.IndexOfAny(['.', '[']);
        return end < 0 ? path : path[..end];
    }

    /// <summary>Every reference path in a value tree.</summary>
    public static IEnumerable<string> References(PValue value) => value switch
    {
        PString s => Parse(s.Raw).Where(p => p.IsReference).Select(p => p.Text),
        PList l => l.Items.SelectMany(References),
        PMap m => m.Entries.SelectMany(e => References(e.Value)),
        _ => [],
    };
}
