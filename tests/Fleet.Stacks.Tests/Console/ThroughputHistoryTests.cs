using Fleet.Stacks.Console;
using Microsoft.Extensions.Time.Testing;

namespace Fleet.Stacks.Tests.Console;

/// <summary>The throughput ring's arithmetic on a fake clock: counter deltas to rates, a counter reset, gaps, the one-hour bound.</summary>
public sealed class ThroughputHistoryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly ThroughputHistory _history;

    public ThroughputHistoryTests() => _history = new ThroughputHistory(_time, TimeSpan.FromSeconds(10));

    [Fact]
    public void Each_point_is_the_counters_increase_over_the_time_since_the_sample_before()
    {
        Record(0, 0, 4.5);
        Record(10, 50, 12);
        Record(12, 170, 30.25); // a late tick: 120 requests in 12 s

        Assert.Equal(
        [
            new ThroughputPoint(Start, null, 4.5),
            new ThroughputPoint(Start.AddSeconds(10), 5, 12),
            new ThroughputPoint(Start.AddSeconds(22), 10, 30.25),
        ], _history.Read().Points);
        Assert.Equal(10, _history.Read().IntervalSeconds);
    }

    [Fact]
    public void A_counter_lower_than_before_is_a_gateway_restart_and_its_new_count_is_taken_whole()
    {
        Record(0, 1000, 0);
        Record(10, 30, 0);
        Record(10, 80, 0);

        Assert.Equal([null, 3.0, 5.0], _history.Read().Points.Select(p => p.RequestsPerSecond));
    }

    [Fact]
    public void Samples_further_apart_than_two_intervals_leave_a_gap_instead_of_an_averaged_rate()
    {
        Record(0, 0, 1);
        Record(10, 100, 2);
        Record(21, 200, 3);  // gateway missed one tick: no rate for this point
        Record(10, 260, 4);

        Assert.Equal([null, 10.0, null, 6.0], _history.Read().Points.Select(p => p.RequestsPerSecond));
        Assert.Equal([1.0, 2, 3, 4], _history.Read().Points.Select(p => p.TokensPerSecond));
    }

    [Fact]
    public void The_ring_keeps_one_hour_and_never_more_than_its_capacity()
    {
        for (var i = 0; i < 500; i++) Record(i == 0 ? 0 : 10, i * 20L, i);

        var points = _history.Read().Points;
        Assert.Equal(361, _history.Capacity);
        Assert.Equal(361, points.Count);
        Assert.Equal(_time.GetUtcNow().AddHours(-1), points[0].At);
        Assert.Equal(_time.GetUtcNow(), points[^1].At);
        Assert.All(points.Skip(1), p => Assert.Equal(2.0, p.RequestsPerSecond));
    }

    [Fact]
    public void Samples_older_than_an_hour_are_not_shown_even_when_no_new_sample_pushed_them_out()
    {
        Record(0, 0, 1);
        Record(10, 10, 1);
        _time.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(55));

        Assert.Equal([Start.AddSeconds(10)], _history.Read().Points.Select(p => p.At));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(_history.Read().Points);
    }

    private void Record(int afterSeconds, long requests, double tokensPerSecond)
    {
        _time.Advance(TimeSpan.FromSeconds(afterSeconds));
        _history.Record(requests, tokensPerSecond);
    }
}
