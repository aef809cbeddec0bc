using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>Issue 12: one JSON log format chosen by FLEET_LOG_FORMAT, UTC timestamps, no secrets, levels set in code.</summary>
public sealed class LoggingTests : IDisposable
{
    private const string QuerySecret = "sk-query-string-secret-0123456789";
    private readonly TestProject _project = new();

    public LoggingTests() =>
        // An appsettings.json in the working directory that would turn on per-request logging (with query strings).
        File.WriteAllText(Path.Combine(_project.Directory, "appsettings.json"),
            """{"Logging":{"LogLevel":{"Default":"Trace","Microsoft":"Trace","Microsoft.AspNetCore":"Trace"},"Console":{"LogLevel":{"Default":"Trace"}}}}""");

    public void Dispose() => _project.Dispose();

    private async Task<string[]> RunAsync(string? format)
    {
        using var service = ServiceProcess.Start(_project, ServiceProcess.FreePort(), env => { if (format is not null) env["FLEET_LOG_FORMAT"] = format; });
        await service.WaitHealthyAsync();
        (await service.Client.GetAsync($"/health?api_key={QuerySecret}")).Dispose();
        (await service.Client.GetAsync($"/v1/nope?token={QuerySecret}")).Dispose();
        var id = await service.ScaleAsync(3);
        await Eventually.TrueAsync(() => service.Operation(id)["state"]!.GetValue<string>() == "succeeded", "the scale-up");
        await Eventually.TrueAsync(() => service.Output.Any(l => l.Contains("succeeded")), "the run's log line");
        await service.KillWithChildrenAsync();
        return [.. service.Output];
    }

    [Fact]
    public async Task The_default_is_one_json_object_per_line_with_utc_timestamps_and_no_secrets()
    {
        var lines = await RunAsync(null);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            var entry = JsonNode.Parse(line)!.AsObject(); // every line is JSON
            Assert.EndsWith("Z", entry["Timestamp"]!.GetValue<string>());
            Assert.True(DateTimeOffset.TryParse(entry["Timestamp"]!.GetValue<string>(), out var at) && at.Offset == TimeSpan.Zero);
            Assert.NotNull(entry["Category"]);
        }
        Assert.Contains(lines, l => l.Contains("\"EventId\":1") && l.Contains("accepted scale")); // the service's own lines are there
        Assert.DoesNotContain(lines, l => l.Contains(QuerySecret));
        Assert.DoesNotContain(lines, l => l.Contains(TestService.SecretText[6..]));
        Assert.DoesNotContain(lines, l => l.Contains("Request starting")); // per-request lines stay off, whatever appsettings.json says
    }

    [Fact]
    public async Task Text_format_is_one_line_per_entry_in_utc()
    {
        var lines = await RunAsync("text");
        Assert.Contains(lines, l => l.Contains("accepted scale"));
        Assert.All(lines.Where(l => l.Contains("accepted scale")), l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ", l));
        Assert.DoesNotContain(lines, l => l.Contains(QuerySecret));
        Assert.DoesNotContain(lines, l => l.StartsWith('{'));
    }
}
