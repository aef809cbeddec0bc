using System.Globalization;

namespace Fleet.Agent.Tests.Support;

/// <summary>Reads one un-labelled sample from Prometheus text.</summary>
public static class MetricsText
{
    public static async Task<double> ReadAsync(HttpClient http, string name)
    {
        var text = await http.GetStringAsync("metrics");
        var line = text.Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
