using System.Text;
using System.Text.Json;

namespace Fleet.Stacks.Pulumi;

/// <summary>
/// Reads a <c>--event-log</c> file incrementally, as pulumi-dotnet's <c>EventLogWatcher</c> does: from the last
/// offset, whole lines only, non-JSON lines skipped, <c>cancelEvent</c> marks the end. Several summaries: the last wins.
/// </summary>
public sealed class EventLogReader(string path)
{
    private readonly StringBuilder _partial = new();
    private readonly List<string> _errors = [];
    private long _offset;
    private int _events, _started, _done;
    private string? _lastMessage;

    public UpSummary? Summary { get; private set; }

    /// <summary>True once the engine wrote <c>cancelEvent</c> (it does at the end of every operation).</summary>
    public bool Ended { get; private set; }

    public UpProgress Progress => new(_events, _started, _done, _lastMessage);

    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Reads what was appended since the last call; returns whether any event was read.</summary>
    public bool ReadNew()
    {
        if (!File.Exists(path)) return false;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < _offset) { _offset = 0; _partial.Clear(); } // truncated: the CLI truncates at start
        if (stream.Length == _offset) return false;
        stream.Seek(_offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - _offset];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        _offset += read;
        _partial.Append(Encoding.UTF8.GetString(buffer, 0, read));
        var text = _partial.ToString();
        var lastNewline = text.LastIndexOf('\n');
        if (lastNewline < 0) return false;
        _partial.Clear().Append(text[(lastNewline + 1)..]);
        var any = false;
        foreach (var line in text[..lastNewline].Split('\n'))
            any |= Handle(line.Trim());
        return any;
    }

    private bool Handle(string line)
    {
        if (line.Length == 0 || line[0] != '{') return false;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(line); }
        catch (JsonException) { return false; }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return false;
            _events++;
            if (root.TryGetProperty("cancelEvent", out _)) Ended = true;
            else if (root.TryGetProperty("resourcePreEvent", out _)) _started++;
            else if (root.TryGetProperty("resOutputsEvent", out _)) _done++;
            else if (root.TryGetProperty("resOpFailedEvent", out var failed))
                _errors.Add($"resource operation failed: {Urn(failed)}");
            else if (root.TryGetProperty("diagnosticEvent", out var diag))
            {
                var message = Str(diag, "message")?.Trim();
                if (!string.IsNullOrEmpty(message)) _lastMessage = message;
                if (Str(diag, "severity") == "error" && !string.IsNullOrEmpty(message)) _errors.Add(message);
            }
            else if (root.TryGetProperty("summaryEvent", out var summary)) Summary = ReadSummary(summary);
            return true;
        }
    }

    private UpSummary ReadSummary(JsonElement e)
    {
        var changes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (e.TryGetProperty("resourceChanges", out var rc) && rc.ValueKind == JsonValueKind.Object)
            foreach (var p in rc.EnumerateObject())
                if (p.Value.TryGetInt32(out var n)) changes[p.Name] = n;
        var duration = e.TryGetProperty("durationSeconds", out var d) && d.TryGetDouble(out var s) ? s : 0;
        return new UpSummary(Str(e, "result"), duration, changes, _events, _errors.ToArray());
    }

    private static string? Urn(JsonElement e) =>
        e.TryGetProperty("metadata", out var m) ? Str(m, "urn") : null;

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
