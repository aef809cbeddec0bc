using System.Text.Json;
using Fleet.Policy.Model;

namespace Fleet.Infra.Cli;

/// <summary>Prints policy findings as text (mandatory first) or JSON.</summary>
public static class PolicyPrinter
{
    public static void Text(TextWriter writer, IReadOnlyList<PolicyViolation> violations, string subject)
    {
        if (violations.Count == 0) return;
        var mandatory = violations.Count(v => v.Level == EnforcementLevel.Mandatory);
        writer.WriteLine($"{subject}: {mandatory} mandatory, {violations.Count - mandatory} advisory policy finding(s)");
        foreach (var v in violations.OrderByDescending(v => v.Level).ThenBy(v => v.RuleId, StringComparer.Ordinal))
            writer.WriteLine("  " + v.ToString().Replace("\n", "\n  ", StringComparison.Ordinal));
    }

    public static void Json(TextWriter writer, string stack, IReadOnlyList<PolicyViolation> violations)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("stack", stack);
            w.WriteNumber("mandatory", violations.Count(v => v.Level == EnforcementLevel.Mandatory));
            w.WriteNumber("advisory", violations.Count(v => v.Level == EnforcementLevel.Advisory));
            w.WriteStartArray("violations");
            foreach (var v in violations)
            {
                w.WriteStartObject();
                w.WriteString("rule", v.RuleId);
                w.WriteString("name", v.RuleName);
                w.WriteString("level", v.Level == EnforcementLevel.Mandatory ? "mandatory" : "advisory");
                w.WriteString("resource", v.Resource);
                w.WriteString("message", v.Message);
                w.WriteString("fix", v.Fix);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        writer.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
