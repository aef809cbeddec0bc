using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Hardening;

/// <summary>A test whose external tool is missing says which Debian package to install.</summary>
public class ExternalToolTests
{
    [Fact]
    public void A_missing_tool_names_what_to_install_not_a_win32_exception()
    {
        var e = Assert.Throws<InvalidOperationException>(() => ExternalTool.Run("fleet-no-such-tool-7f3a"));

        Assert.StartsWith("'fleet-no-such-tool-7f3a' is not installed", e.Message);
        Assert.Contains("sudo apt-get install fleet-no-such-tool-7f3a", e.Message);
        Assert.Contains(".ci/run", e.Message);
        Assert.Null(e.InnerException);
    }

    [Theory]
    [InlineData("promtool", "prometheus")]
    [InlineData("cloud-init", "cloud-init")]
    [InlineData("caddy", "caddy")]
    [InlineData("pebble", "pebble")]
    [InlineData("shellcheck", "shellcheck")]
    [InlineData("yamllint", "yamllint")]
    public void Every_tool_maps_to_its_debian_package(string tool, string package) =>
        Assert.Contains($"sudo apt-get install {package}`", ExternalTool.MissingMessage(tool));

    [Fact]
    public void The_package_list_matches_what_ci_installs()
    {
        var ci = File.ReadAllText(Path.Combine(RepoPaths.Root, ".ci", "run"));

        Assert.All(ExternalTool.DebianPackages.Values, package => Assert.Contains(package, ci));
    }
}
