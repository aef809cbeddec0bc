using Microsoft.Extensions.Options;

namespace Fleet.Gateway.Hosting;

/// <summary>
/// The gateway's log levels, set in code so they never depend on the working directory (no appsettings.json). The
/// defaults come first, so <c>Logging__LogLevel__*</c> may change them; the floor comes last, for every provider named in
/// any rule, so nothing can lower it: the categories that write request URLs (a key sent in a query string) or request
/// targets log warnings and errors only.
/// </summary>
public sealed class LogLevelRules : IPostConfigureOptions<LoggerFilterOptions>
{
    private static readonly (string Category, LogLevel Level)[] Defaults =
    [
        ("Microsoft.AspNetCore", LogLevel.Warning),
        ("Microsoft.Hosting.Lifetime", LogLevel.Information),
        ("System.Net.Http", LogLevel.Warning),
    ];

    /// <summary>Categories that may write a request's URL or target: never below <see cref="LogLevel.Warning"/>.</summary>
    public static IReadOnlyList<string> Floored { get; } =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.HttpLogging",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Yarp",
    ];

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        var providers = options.Rules.Select(r => r.ProviderName).Distinct().ToList();
        if (!providers.Contains(null)) providers.Add(null);
        // An operator's rule for a sub-category (e.g. ...Kestrel.BadRequests) would be more specific than the floor: raise it.
        for (var i = 0; i < options.Rules.Count; i++)
        {
            var r = options.Rules[i];
            if (r.CategoryName is { } c && Floored.Any(f => c.StartsWith(f, StringComparison.Ordinal)) && (r.LogLevel ?? LogLevel.Trace) < LogLevel.Warning)
                options.Rules[i] = new LoggerFilterRule(r.ProviderName, c, LogLevel.Warning, r.Filter);
        }
        for (var i = 0; i < Defaults.Length; i++)
            options.Rules.Insert(i, new LoggerFilterRule(null, Defaults[i].Category, Defaults[i].Level, null));
        foreach (var provider in providers)
            foreach (var category in Floored)
                options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, null));
    }
}
