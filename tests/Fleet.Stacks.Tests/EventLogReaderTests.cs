using Fleet.Stacks.Pulumi;

namespace Fleet.Stacks.Tests;

public sealed class EventLogReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Directory.CreateTempSubdirectory("eventlog-").FullName, "eventlog.txt");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);

    [Fact]
    public void Reads_whole_lines_incrementally_and_skips_noise()
    {
        var reader = new EventLogReader(_path);
        Assert.False(reader.ReadNew()); // not created yet
        File.WriteAllText(_path, "{\"sequence\":0,\"timestamp\":1,\"preludeEvent\":{\"config\":{}}}\nnot json\n{\"sequence\":1,\"resourcePreEvent\":{\"metadata\":{\"op\":\"create\",\"urn\":\"u1\"}}");
        Assert.True(reader.ReadNew());
        Assert.Equal(new UpProgress(1, 0, 0, null), reader.Progress); // the half-written line waits

        File.AppendAllText(_path, "}\n{\"sequence\":2,\"resOutputsEvent\":{\"metadata\":{\"op\":\"create\",\"urn\":\"u1\"}}}\n"
            + "{\"sequence\":3,\"diagnosticEvent\":{\"severity\":\"info\",\"message\":\"creating droplet\\n\"}}\n");
        Assert.True(reader.ReadNew());
        Assert.Equal(new UpProgress(4, 1, 1, "creating droplet"), reader.Progress);
        Assert.False(reader.Ended);
    }

    [Fact]
    public void Takes_the_last_summary_and_ends_at_cancelEvent()
    {
        File.WriteAllText(_path, """
            {"sequence":0,"diagnosticEvent":{"severity":"error","message":"422 size unavailable"}}
            {"sequence":1,"resOpFailedEvent":{"metadata":{"op":"create","urn":"urn:droplet:a3"},"status":0,"steps":1}}
            {"sequence":2,"summaryEvent":{"durationSeconds":1,"resourceChanges":{"create":1},"result":"failed"}}
            {"sequence":3,"summaryEvent":{"durationSeconds":2,"resourceChanges":{"same":3},"result":"failed"}}
            {"sequence":4,"cancelEvent":{}}

            """);
        var reader = new EventLogReader(_path);
        reader.ReadNew();
        Assert.True(reader.Ended);
        Assert.Equal("failed", reader.Summary!.Result);
        Assert.Equal(2, reader.Summary.DurationSeconds);
        Assert.Equal(3, reader.Summary.ResourceChanges["same"]);
        Assert.Equal(["422 size unavailable", "resource operation failed: urn:droplet:a3"], reader.Errors);
    }

    [Fact]
    public void Starts_over_when_the_file_is_truncated()
    {
        File.WriteAllText(_path, "{\"sequence\":0,\"preludeEvent\":{}}\n{\"sequence\":1,\"preludeEvent\":{}}\n");
        var reader = new EventLogReader(_path);
        reader.ReadNew();
        File.WriteAllText(_path, "{\"sequence\":0,\"cancelEvent\":{}}\n");
        reader.ReadNew();
        Assert.True(reader.Ended);
    }
}
