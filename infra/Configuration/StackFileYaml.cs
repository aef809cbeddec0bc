using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Fleet.Infra.Configuration;

/// <summary>
/// Loads the YAML of a stack file, turning every way it can be broken into a <see cref="ConfigSourceException"/> that
/// says where (<c>file:line:column</c>) and what: an unclosed bracket names the line that opened it, an undefined alias
/// names the alias, a tab names the line it is on.
/// </summary>
public static class StackFileYaml
{
    /// <summary>Deeper nesting is refused before it can exhaust the stack of the recursive readers.</summary>
    public const int MaxDepth = 32;

    /// <summary>The first document's root node, or null for an empty file.</summary>
    public static YamlNode? Load(string yaml, string source)
    {
        Scan(yaml, source);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw Error(source, e.Start, Describe(e));
        }
        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    /// <summary>A message that points at a node: <c>file:line:column: what</c>.</summary>
    public static ConfigSourceException Error(string source, Mark at, string what) =>
        new($"{source}:{at.Line}:{at.Column}: {what}");

    /// <summary>Walks the parser's events once, keeping the open collections (flow ones by bracket) and the anchors seen so far.</summary>
    private static void Scan(string yaml, string source)
    {
        var open = new Stack<(Mark At, char Bracket, string? Anchor)>();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(yaml));
        var last = Mark.Empty;
        try
        {
            while (parser.MoveNext())
            {
                var e = parser.Current!;
                last = e.End;
                if (e is AnchorAlias alias && !anchors.Contains(alias.Value.Value))
                {
                    var name = alias.Value.Value;
                    throw Error(source, alias.Start, open.Any(o => o.Anchor == name)
                        ? $"the alias *{name} refers to the value it is part of, which would repeat forever; write the value out instead"
                        : $"the alias *{name} refers to no anchor: YAML needs &{name} on a value above it; write the value itself instead");
                }
                if (open.Count > MaxDepth) throw Error(source, e.Start, $"values are nested more than {MaxDepth} levels deep here; a stack file needs a handful");
                var anchor = e is NodeEvent { Anchor.IsEmpty: false } node ? node.Anchor.Value : null;
                switch (e)
                {
                    // A collection's anchor becomes usable once the collection ends: an alias inside it would be a cycle.
                    case SequenceStart s: open.Push((e.Start, s.Style == SequenceStyle.Flow ? '[' : ' ', anchor)); break;
                    case MappingStart m: open.Push((e.Start, m.Style == MappingStyle.Flow ? '{' : ' ', anchor)); break;
                    case SequenceEnd or MappingEnd:
                        if (open.Pop().Anchor is { } closed) anchors.Add(closed);
                        break;
                    default:
                        if (anchor is not null) anchors.Add(anchor);
                        break;
                }
            }
        }
        catch (YamlException e)
        {
            if (e.Message.Contains("flow", StringComparison.Ordinal) && open.Any(o => o.Bracket != ' ')) throw Unclosed(source, open.First(o => o.Bracket != ' '), e.Start);
            throw Error(source, e.Message.Contains("tab", StringComparison.Ordinal) ? TabMark(yaml) ?? e.Start : e.Start, Describe(e));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up without a position on some unclosed flow collections.
            if (open.Any(o => o.Bracket != ' ')) throw Unclosed(source, open.First(o => o.Bracket != ' '), last);
            throw Error(source, last, "the YAML cannot be read after this point");
        }
    }

    private static ConfigSourceException Unclosed(string source, (Mark At, char Bracket, string? Anchor) opened, Mark found) =>
        Error(source, opened.At, $"the {opened.Bracket} opened here is never closed (the parser gave up at line {found.Line}, column {found.Column}); add the closing {(opened.Bracket == '[' ? ']' : '}')}");

    private static string Describe(YamlException e)
    {
        var text = (e.InnerException?.Message ?? e.Message).TrimEnd('.');
        return text.StartsWith("Duplicate key ", StringComparison.Ordinal)
            ? $"the key {text["Duplicate key ".Length..]} appears twice in one map; keep one"
            : text.Contains("tab", StringComparison.Ordinal) ? "a tab indents this line; YAML indents with spaces only" : text;
    }

    /// <summary>The first tab in a line's indentation (the scanner reports tabs at the start of the enclosing map).</summary>
    private static Mark? TabMark(string yaml)
    {
        var lines = yaml.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0) return new Mark(0, i + 1, tab + 1);
        }
        return null;
    }
}
