using System.Net;
using Fleet.Stacks.Hosting;

namespace Fleet.Stacks.Tests;

public class PrivateReadersTests
{
    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.210.0.5", true)]
    [InlineData("::ffff:192.168.1.9", true)]
    [InlineData("fd00::1", true)]
    [InlineData("203.0.113.7", false)]
    [InlineData("2001:db8::1", false)]
    public void Operations_stack_state_and_metrics_are_read_from_private_networks_only(string address, bool allowed) =>
        Assert.Equal(allowed, PrivateReaders.IsAllowed(IPAddress.Parse(address)));
}
