using System.Globalization;
using System.Text.RegularExpressions;

namespace Fleet.Stacks.Scaling;

/// <summary>
/// New stable node ids for a pool: the prefix of the pool's last id (<c>a2</c> → <c>a</c>, <c>7</c> → none, else
/// <c>n</c>) and the next number above every id the pool ever had, so an id — and its host name — is never reused.
/// </summary>
public static partial class NodeIdAllocator
{
    public static IReadOnlyList<string> Next(IReadOnlyList<string> current, IReadOnlySet<string> everUsed, int count)
    {
        var prefix = current.Count > 0 && Shape().Match(current[^1]) is { Success: true } m ? m.Groups[1].Value : "n";
        var taken = new HashSet<string>(current.Concat(everUsed), StringComparer.Ordinal);
        var highest = taken.Select(id => Shape().Match(id)).Where(x => x.Success && x.Groups[1].Value == prefix)
            .Select(x => long.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        var ids = new List<string>(count);
        for (var n = highest + 1; ids.Count < count; n++)
        {
            var id = prefix + n.ToString(CultureInfo.InvariantCulture);
            if (taken.Add(id)) ids.Add(id);
        }
        return ids;
    }

    [GeneratedRegex("^([a-z-]*?)([0-9]{1,12})$")]
    private static partial Regex Shape();
}
