namespace Fleet.Infra.Pulumi;

/// <summary>Builds a <see cref="PMap"/> in insertion order, skipping null values.</summary>
public sealed class PMapBuilder : System.Collections.IEnumerable
{
    private readonly List<KeyValuePair<string, PValue>> _entries = [];

    /// <summary>Adds an entry unless <paramref name="value"/> is null; a duplicate key is a programmer error.</summary>
    public void Add(string key, PValue? value)
    {
        if (value is null) return;
        if (_entries.Exists(e => e.Key == key)) throw new InvalidOperationException($"duplicate key '{key}'");
        _entries.Add(new(key, value));
    }

    /// <summary>Adds a string literal entry (escaped) unless null.</summary>
    public void Add(string key, string? value)
    {
        if (value is not null) Add(key, (PValue)Px.Lit(value));
    }

    public PMap Build() => new(_entries.ToArray());

    public static implicit operator PMap(PMapBuilder builder) => builder.Build();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _entries.GetEnumerator();
}
