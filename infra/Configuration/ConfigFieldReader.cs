using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fleet.Infra.Diagnostics;

namespace Fleet.Infra.Configuration;

/// <summary>Typed reads of JSON config nodes that report a diagnostic (key, value, rule, fix) instead of throwing.</summary>
public sealed class ConfigFieldReader(DiagnosticBag bag)
{
    public DiagnosticBag Bag => bag;

    /// <summary>A non-empty string, or null (reporting <see cref="ConfigCodes.Missing"/> when required).</summary>
    public string? String(JsonNode? node, string path, string example, bool required)
    {
        if (node is null)
        {
            if (required) bag.Error(ConfigCodes.Missing, path, $"{path} is required", ConfigFix.Set(path, example));
            return null;
        }
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            var s = v.GetValue<string>().Trim();
            if (s.Length > 0) return s;
            bag.Error(ConfigCodes.Missing, path, $"{path} is empty", ConfigFix.Set(path, example));
            return null;
        }
        bag.Error(ConfigCodes.WrongType, path, $"{path} must be a string, got {Describe(node)}", ConfigFix.Set(path, example));
        return null;
    }

    /// <summary>An integer within [min, max]; integer-looking strings are accepted (the CLI stores some values as strings).</summary>
    public int? Int(JsonNode? node, string path, int min, int max, int example, bool required = false)
    {
        if (node is null)
        {
            if (required) bag.Error(ConfigCodes.Missing, path, $"{path} is required", ConfigFix.Set(path, example.ToString(CultureInfo.InvariantCulture)));
            return null;
        }
        long? value = null;
        if (node is JsonValue v)
        {
            var kind = v.GetValueKind();
            if (kind == JsonValueKind.Number && v.TryGetValue<long>(out var l)) value = l;
            else if (kind == JsonValueKind.Number && v.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < long.MaxValue) value = (long)d;
            else if (kind == JsonValueKind.String && long.TryParse(v.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p)) value = p;
        }
        var fix = ConfigFix.Set(path, example.ToString(CultureInfo.InvariantCulture));
        if (value is null)
        {
            bag.Error(ConfigCodes.WrongType, path, $"{path} must be a whole number, got {Describe(node)}", fix);
            return null;
        }
        if (value < min || value > max)
        {
            bag.Error(ConfigCodes.OutOfRange, path, $"{path} is {value}; it must be between {min} and {max}", fix);
            return null;
        }
        return (int)value;
    }

    /// <summary>A boolean; <c>"true"</c>/<c>"false"</c> strings are accepted.</summary>
    public bool? Bool(JsonNode? node, string path)
    {
        if (node is null) return null;
        if (node is JsonValue v)
        {
            var kind = v.GetValueKind();
            if (kind is JsonValueKind.True or JsonValueKind.False) return kind == JsonValueKind.True;
            if (kind == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b)) return b;
        }
        bag.Error(ConfigCodes.WrongType, path, $"{path} must be true or false, got {Describe(node)}", ConfigFix.Set(path, "true"));
        return null;
    }

    /// <summary>An object, or null (reporting when required or of the wrong type).</summary>
    public JsonObject? Object(JsonNode? node, string path, string example, bool required)
    {
        if (node is JsonObject o) return o;
        if (node is null)
        {
            if (required) bag.Error(ConfigCodes.Missing, path, $"{path} is required", ConfigFix.Set(path, example));
            return null;
        }
        bag.Error(ConfigCodes.WrongType, path, $"{path} must be an object, got {Describe(node)}", ConfigFix.Set(path, example));
        return null;
    }

    /// <summary>A list, or null (reporting when required or of the wrong type).</summary>
    public JsonArray? List(JsonNode? node, string path, string example, bool required)
    {
        if (node is JsonArray a) return a;
        if (node is null)
        {
            if (required) bag.Error(ConfigCodes.Missing, path, $"{path} is required", ConfigFix.Set(path, example));
            return null;
        }
        bag.Error(ConfigCodes.WrongType, path, $"{path} must be a list, got {Describe(node)}", ConfigFix.Set(path, example));
        return null;
    }

    /// <summary>A list of non-empty strings (a single string is not silently promoted).</summary>
    public IReadOnlyList<string>? StringList(JsonNode? node, string path, string example, bool required)
    {
        var list = List(node, path, example, required);
        if (list is null) return null;
        var result = new List<string>();
        for (var i = 0; i < list.Count; i++)
        {
            var s = String(list[i], $"{path}[{i}]", example.Trim('[', ']', '\'', '"'), required: true);
            if (s is not null) result.Add(s);
        }
        return result;
    }

    /// <summary>Reports keys of <paramref name="obj"/> that are not in <paramref name="known"/> (typos must not be silently ignored).</summary>
    public void RejectUnknownKeys(JsonObject obj, string path, params string[] known)
    {
        foreach (var (key, _) in obj)
        {
            if (known.Contains(key, StringComparer.Ordinal)) continue;
            var near = NearestMatch.Find(key, known);
            bag.Error(ConfigCodes.UnknownKey, $"{path}.{key}", $"{path} has no setting '{Printable(key)}'{(near is null ? "" : $" (did you mean '{near}'?)")}; known: {string.Join(", ", known)}", ConfigFix.Remove($"{path}.{key}"));
        }
    }

    /// <summary>A short, safe description of a value for messages.</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "nothing",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => $"\"{Printable(v.GetValue<string>())}\"",
        _ => Printable(node.ToJsonString(Readable)),
    };

    /// <summary>
    /// A value as it may appear in a message: control and bidi-override characters escaped (a value must not rewrite the
    /// terminal it is printed on), at most 60 characters.
    /// </summary>
    public static string Printable(string s)
    {
        var text = s.Length <= 60 ? s : s[..57] + "...";
        if (!text.Any(IsUnsafe)) return text;
        var sb = new System.Text.StringBuilder();
        foreach (var c in text) sb.Append(IsUnsafe(c) ? $"\\u{(int)c:x4}" : c.ToString());
        return sb.ToString();
    }

    private static bool IsUnsafe(char c) => char.IsControl(c) || c is >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069';

    /// <summary>JSON for messages: quotes and angle brackets stay as typed.</summary>
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
