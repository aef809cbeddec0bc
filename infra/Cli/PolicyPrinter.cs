using System.Text.Encodings.Web;
using System.Text.Json;
using Fleet.Infra.Diagnostics;
using Fleet.Policy.Model;

namespace Fleet.Infra.Cli;

/// <summary>Prints policy findings as text (mandatory first) or as one JSON document for every stack checked.</summary>
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

    /// <summary>
    /// <c>{mandatory, advisory, stacks: [{stack, status, mandatory, advisory, violations, problems, error}]}</c>, one document
    /// however many stacks. Text stays as written (<c>'</c>, <c>"</c>, <c>&lt;</c> are not \u-escaped): this is a CLI's
    /// output, never embedded in HTML.
    /// </summary>
    public static void Json(TextWriter writer, IReadOnlyList<PolicyStackResult> stacks)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var all = stacks.SelectMany(s => s.Violations).ToArray();
            w.WriteStartObject();
            w.WriteNumber("mandatory", all.Count(v => v.Level == EnforcementLevel.Mandatory));
            w.WriteNumber("advisory", all.Count(v => v.Level == EnforcementLevel.Advisory));
            w.WriteStartArray("stacks");
            foreach (var stack in stacks) WriteStack(w, stack);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        writer.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void WriteStack(Utf8JsonWriter w, PolicyStackResult stack)
    {
        w.WriteStartObject();
        w.WriteString("stack", stack.Stack);
        w.WriteString("status", stack.Status);
        w.WriteNumber("mandatory", stack.Violations.Count(v => v.Level == EnforcementLevel.Mandatory));
        w.WriteNumber("advisory", stack.Violations.Count(v => v.Level == EnforcementLevel.Advisory));
        w.WriteStartArray("violations");
        foreach (var v in stack.Violations)
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
        w.WriteStartArray("problems");
        foreach (var d in stack.Problems)
        {
            w.WriteStartObject();
            w.WriteString("code", d.Code);
            w.WriteString("severity", d.Severity == Severity.Error ? "error" : "warning");
            w.WriteString("path", d.Path);
            w.WriteString("message", d.Message);
            w.WriteString("fix", d.Fix);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (stack.Error is not null) w.WriteString("error", stack.Error);
        w.WriteEndObject();
    }
}
