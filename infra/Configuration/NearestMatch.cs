namespace Fleet.Infra.Configuration;

/// <summary>"Did you mean …?": the known value closest to a typo by edit distance, or none when nothing is close.</summary>
public static class NearestMatch
{
    /// <summary>
    /// The candidate with the smallest edit distance to <paramref name="value"/> (case-insensitive; ties keep
    /// the earlier candidate), when that distance is at most a third of the longer string (at least 1, at most 3).
    /// </summary>
    public static string? Find(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(value.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
        }
        if (best is null) return null;
        var allowed = Math.Clamp(Math.Max(value.Length, best.Length) / 3, 1, 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>The edit distance counting insertions, deletions, substitutions and swaps of neighbours (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j], d[i, j - 1]) + 1, d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
