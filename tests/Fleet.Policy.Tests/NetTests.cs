using Fleet.Policy.Net;

namespace Fleet.Policy.Tests;

public class NetTests
{
    [Theory]
    [InlineData("0.0.0.0/1,128.0.0.0/1", "0.0.0.0/0", true)]
    [InlineData("10.0.0.0/9,10.128.0.0/9", "10.0.0.0/8", true)]
    [InlineData("10.0.0.0/9", "10.0.0.0/8", false)]
    [InlineData("203.0.113.0/24", "203.0.113.7/32", true)]
    [InlineData("::/1,8000::/1", "::/0", true)]
    [InlineData("2000::/3", "::/0", false)]
    [InlineData("0.0.0.0/0", "::/0", false)]
    public void Covers_uses_real_range_arithmetic(string set, string range, bool covered) =>
        Assert.Equal(covered, IpRangeSet.Of(set.Split(',')).Covers(IpRange.Parse(range)));

    [Theory]
    [InlineData("1-1000", 22, true)]
    [InlineData("23-1000", 22, false)]
    [InlineData("all", 6443, true)]
    [InlineData(null, 6443, true)]
    public void Port_ranges(string? text, int port, bool contains) => Assert.Equal(contains, PortRange.Parse(text).Contains(port));
}
