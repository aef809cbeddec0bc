using Fleet.Infra.Cli;

namespace Fleet.Infra.Tests.Cli;

/// <summary>A bad command line exits 2 (<see cref="ExitCodes.Usage"/>) with the problem on stderr and nothing on stdout.</summary>
public class UsageTests
{
    [Theory]
    [InlineData(new[] { "bogus" }, "bogus")]
    [InlineData(new[] { "plan", "--nope" }, "--nope")]
    [InlineData(new[] { "policy", "--format", "xml" }, "xml")]
    [InlineData(new[] { "synth", "extra" }, "extra")]
    [InlineData(new string[0], "command")]
    public void A_usage_error_exits_2_on_stderr(string[] args, string named)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = FleetCli.Run(args, stdout, stderr);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(named, stderr.ToString());
        Assert.Contains("--help", stderr.ToString());
        Assert.Empty(stdout.ToString());
    }

    [Theory]
    [InlineData("plna", "plan")]
    [InlineData("valdiate", "validate")]
    public void A_misspelt_command_suggests_the_nearest(string typo, string near)
    {
        var stderr = new StringWriter();

        Assert.Equal(ExitCodes.Usage, FleetCli.Run([typo], new StringWriter(), stderr));
        Assert.Contains($"did you mean '{near}'?", stderr.ToString());
    }

    [Fact]
    public void Help_is_not_an_error()
    {
        var stdout = new StringWriter();

        Assert.Equal(ExitCodes.Ok, FleetCli.Run(["--help"], stdout, new StringWriter()));
        Assert.Contains("validate", stdout.ToString());
    }
}
