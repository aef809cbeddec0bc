using System.Text;

namespace Fleet.Infra.Pulumi;

/// <summary>
/// Expression helpers for Pulumi YAML. Every literal that passes through here is escaped (<c>$</c> → <c>$$</c>),
/// so user data and scripts can never be mistaken for interpolation.
/// </summary>
public static class Px
{
    /// <summary>A literal string, escaped for Pulumi YAML.</summary>
    public static PString Lit(string text) => new(Escape(text));

    /// <summary>A reference <c>${path}</c>; a scalar that is exactly one reference keeps the referenced type.</summary>
    public static PString Ref(string path) => new("${" + path + "}");

    /// <summary>A string mixing literal text and references: every <see cref="PString"/> part is taken raw, other parts are literals.</summary>
    public static PString Concat(params object[] parts)
    {
        var sb = new StringBuilder();
        foreach (var part in parts)
        {
            sb.Append(part switch
            {
                PString raw => raw.Raw,
                string text => Escape(text),
                _ => Escape(Convert.ToString(part, System.Globalization.CultureInfo.InvariantCulture) ?? ""),
            });
        }
        return new(sb.ToString());
    }

    /// <summary><c>fn::secret</c>: the value is encrypted in state and masked in output.</summary>
    public static PMap Secret(PValue value) => Fn("fn::secret", value);

    /// <summary><c>fn::toJSON</c>.</summary>
    public static PMap ToJson(PValue value) => Fn("fn::toJSON", value);

    /// <summary><c>fn::toBase64</c>.</summary>
    public static PMap ToBase64(PValue value) => Fn("fn::toBase64", value);

    /// <summary><c>fn::invoke</c> of a provider function, returning one property of its result.</summary>
    public static PMap Invoke(string function, PMap arguments, string? returnProperty = null, PMap? options = null)
    {
        var body = new PMapBuilder { { "function", function }, { "arguments", arguments }, { "options", options }, { "return", returnProperty } };
        return Fn("fn::invoke", body.Build());
    }

    /// <summary>Escapes a literal for Pulumi YAML: every <c>$</c> becomes <c>$$</c>.</summary>
    public static string Escape(string text) => text.Replace("$", "$$", StringComparison.Ordinal);

    /// <summary>A list of string literals.</summary>
    public static PList Strings(IEnumerable<string> items) => new(items.Select(i => (PValue)Lit(i)).ToArray());

    private static PMap Fn(string name, PValue value) => new([new(name, value)]);
}
