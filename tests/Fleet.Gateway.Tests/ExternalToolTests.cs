using System.Diagnostics;
using Fleet.Gateway.Tests.Support;

namespace Fleet.Gateway.Tests;

public sealed class ExternalToolTests
{
    [Fact]
    public void A_missing_tool_fails_naming_the_package_to_install()
    {
        var e = Assert.ThrowsAny<Exception>(() => ExternalTool.Start(new ProcessStartInfo("fleet-no-such-tool"), "fleet-no-such-package"));

        Assert.Contains("'fleet-no-such-tool' is not installed", e.Message);
        Assert.Contains("sudo apt-get install -y fleet-no-such-package", e.Message);
    }
}
