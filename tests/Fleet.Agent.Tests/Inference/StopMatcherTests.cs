using Fleet.Agent.Inference;

namespace Fleet.Agent.Tests.Inference;

public sealed class StopMatcherTests
{
    [Fact]
    public void Holds_back_a_possible_stop_prefix_and_releases_it_when_it_is_not_one()
    {
        var m = new StopMatcher(["END"]);
        Assert.Equal("abc ", m.Push("abc E"));
        Assert.Equal("", m.Push("N"));
        Assert.Equal("ENx", m.Push("x"));
        Assert.False(m.Stopped);
    }

    [Fact]
    public void Cuts_at_the_earliest_stop_across_pieces()
    {
        var m = new StopMatcher(["cd", "b"]);
        Assert.Equal("a", m.Push("abcd"));
        Assert.True(m.Stopped);
        Assert.Equal("", m.Push("more"));
        Assert.Equal("", m.Flush());
    }

    [Fact]
    public void Flush_returns_held_text_at_the_end()
    {
        var m = new StopMatcher(["xyz"]);
        Assert.Equal("ab", m.Push("abxy"));
        Assert.Equal("xy", m.Flush());
    }

    [Fact]
    public void Without_stops_passes_text_through()
    {
        var m = new StopMatcher([]);
        Assert.Equal("anything", m.Push("anything"));
    }
}
