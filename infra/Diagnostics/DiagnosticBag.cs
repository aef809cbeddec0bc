namespace Fleet.Infra.Diagnostics;

/// <summary>Collects diagnostics; validation never stops at the first problem.</summary>
public sealed class DiagnosticBag
{
    private readonly List<Diagnostic> _items = [];

    public IReadOnlyList<Diagnostic> Items => _items;

    public int ErrorCount => _items.Count(d => d.Severity == Severity.Error);

    public bool HasErrors => _items.Exists(d => d.Severity == Severity.Error);

    public void Error(string code, string path, string message, string fix) => _items.Add(new(code, Severity.Error, path, message, fix));

    public void Warning(string code, string path, string message, string fix) => _items.Add(new(code, Severity.Warning, path, message, fix));

    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);
}
