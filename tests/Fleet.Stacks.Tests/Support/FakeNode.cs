namespace Fleet.Stacks.Tests.Support;

/// <summary>A node as the fake gateway reports it; tests change the fields between steps.</summary>
public sealed class FakeNode
{
    public required string Pool { get; set; }
    public required string State { get; set; }
    public int SlotsTotal { get; set; } = 4;
    public int SlotsBusy { get; set; }
    public int QueueDepth { get; set; }
    public int InFlight { get; set; }
    public double TtftP95Ms { get; set; } = 300;
    public double SilenceSeconds { get; set; } = 1;
    public bool DrainRequested { get; set; }
    public string Model { get; set; } = "tiny";
    public string Backend { get; set; } = "cpu";
    public double TokensPerSecond { get; set; }
    public List<(string Name, long TotalMiB, long UsedMiB)> Gpus { get; } = [];
    public DateTimeOffset RegisteredAt { get; set; } = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
}
