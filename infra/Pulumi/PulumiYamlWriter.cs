using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Fleet.Infra.Pulumi;

/// <summary>
/// The one place that prints YAML. Uses YamlDotNet's low-level emitter (reflection-free, NativeAOT-clean):
/// every string is quoted (multi-line strings as literal blocks), numbers and booleans plain, keys in model
/// order, LF line ends — the same model always gives the same bytes.
/// </summary>
public static class PulumiYamlWriter
{
    /// <summary>Prints a Pulumi program.</summary>
    public static string Write(PulumiProgram program) => Write(ToDocument(program));

    /// <summary>Prints any value tree as a YAML document (cloud-init uses this too).</summary>
    public static string Write(PValue document, string? header = null)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        if (header is not null) writer.Write(header + "\n");
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, document);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static PMap ToDocument(PulumiProgram program)
    {
        var config = new PMapBuilder();
        foreach (var c in program.Config)
            config.Add(c.Key, new PMapBuilder { { "type", c.Type }, { "secret", c.Secret ? true : null } }.Build());
        var resources = new PMapBuilder();
        foreach (var r in program.Resources)
        {
            resources.Add(r.Name, new PMapBuilder
            {
                { "type", r.Type },
                { "defaultProvider", r.DefaultProvider ? true : null },
                { "properties", r.Properties.Entries.Count > 0 ? r.Properties : null },
                { "options", r.Options.Entries.Count > 0 ? r.Options : null },
            }.Build());
        }
        return new PMapBuilder
        {
            { "name", program.Name },
            { "description", program.Description },
            { "config", program.Config.Count > 0 ? config.Build() : null },
            { "variables", program.VariableList.Count > 0 ? new PMap(program.VariableList) : null },
            { "resources", resources.Build() },
            { "outputs", program.Outputs.Count > 0 ? new PMap(program.Outputs) : null },
        }.Build();
    }

    private static void Emit(IEmitter emitter, PValue value)
    {
        switch (value)
        {
            case PString s:
                var style = s.Raw.Contains('\n') && IsLiteralSafe(s.Raw) ? ScalarStyle.Literal : ScalarStyle.DoubleQuoted;
                emitter.Emit(new Scalar(null, null, s.Raw, style, false, true));
                break;
            case PNumber n:
                emitter.Emit(new Scalar(null, null, n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), ScalarStyle.Plain, true, true));
                break;
            case PBool b:
                emitter.Emit(new Scalar(null, null, b.Value ? "true" : "false", ScalarStyle.Plain, true, true));
                break;
            case PList list:
                emitter.Emit(new SequenceStart(null, null, false, list.Items.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list.Items) Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case PMap map:
                emitter.Emit(new MappingStart(null, null, false, map.Entries.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, item) in map.Entries)
                {
                    emitter.Emit(new Scalar(null, null, key, NeedsQuotes(key) ? ScalarStyle.DoubleQuoted : ScalarStyle.Plain, true, true));
                    Emit(emitter, item);
                }
                emitter.Emit(new MappingEnd());
                break;
            default:
                throw new InvalidOperationException($"unknown value {value.GetType().Name}");
        }
    }

    // Literal blocks cannot carry tabs-at-start quirks, trailing spaces or control characters faithfully.
    private static bool IsLiteralSafe(string text) =>
        text.Trim().Length > 0 && !text.Contains(" \n", StringComparison.Ordinal) && !text.Contains('\t') && !text.Contains('\r')
        && !text.StartsWith(' ') && text.All(c => c >= ' ' || c == '\n');

    private static bool NeedsQuotes(string key) =>
        key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/') || char.IsAsciiDigit(key[0])
        || key is "true" or "false" or "null" or "yes" or "no" or "on" or "off" or "y" or "n";
}
