using System.Globalization;

namespace Fleet.Policy.Net;

/// <summary>An inclusive port range as firewalls write it: <c>22</c>, <c>1-1000</c>, <c>all</c> (or empty: every port).</summary>
public readonly record struct PortRange(int First, int Last)
{
    public static readonly PortRange All = new(1, 65535);

    public static PortRange Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text is "all" or "any" or "0") return All;
        var dash = text.IndexOf('-');
        var first = int.Parse(dash < 0 ? text : text[..dash], CultureInfo.InvariantCulture);
        var last = dash < 0 ? first : int.Parse(text[(dash + 1)..], CultureInfo.InvariantCulture);
        return new PortRange(first, last);
    }

    public bool Contains(int port) => port >= First && port <= Last;

    public bool Overlaps(PortRange other) => First <= other.Last && other.First <= Last;

    public bool IsAllPorts => First <= 1 && Last >= 65535;

    public override string ToString() => First == Last ? First.ToString(CultureInfo.InvariantCulture) : $"{First}-{Last}";
}
