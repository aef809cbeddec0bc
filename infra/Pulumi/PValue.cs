namespace Fleet.Infra.Pulumi;

/// <summary>
/// A value in a Pulumi YAML program: a scalar, a list or a map. Strings are always emitted quoted, so
/// <c>no</c>, <c>1.20</c> and <c>0123</c> stay strings; numbers and booleans are emitted plain.
/// </summary>
public abstract record PValue
{
    public static implicit operator PValue(string value) => new PString(value);
    public static implicit operator PValue(int value) => new PNumber(value);
    public static implicit operator PValue(bool value) => new PBool(value);
}

/// <summary>A string as Pulumi YAML sees it: <c>${…}</c> interpolates and <c>$$</c> is a literal dollar.</summary>
public sealed record PString(string Raw) : PValue;

/// <summary>An integer literal.</summary>
public sealed record PNumber(long Value) : PValue;

/// <summary>A boolean literal.</summary>
public sealed record PBool(bool Value) : PValue;

/// <summary>An ordered list.</summary>
public sealed record PList(IReadOnlyList<PValue> Items) : PValue
{
    public PList(params PValue[] items) : this((IReadOnlyList<PValue>)items) { }
}

/// <summary>An ordered map; keys print in the order they were added.</summary>
public sealed record PMap(IReadOnlyList<KeyValuePair<string, PValue>> Entries) : PValue
{
    public PValue? this[string key] => Entries.FirstOrDefault(e => e.Key == key).Value;
}
