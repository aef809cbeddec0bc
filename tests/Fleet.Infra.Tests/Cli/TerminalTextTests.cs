using Fleet.Infra.Cli;
using Fleet.Infra.Diagnostics;

namespace Fleet.Infra.Tests.Cli;

public class TerminalTextTests
{
    [Fact]
    public void A_key_with_an_escape_sequence_is_printed_escaped()
    {
        var writer = new StringWriter();

        DiagnosticPrinter.Print(writer, [new Diagnostic("FLEET009", Severity.Error, "fleet:a\u001b[2J", "unknown key fleet:a\u001b[2J", "pulumi config rm fleet:a\u001b[2J")], "test");

        Assert.DoesNotContain('\u001b', writer.ToString());
        Assert.Contains("fleet:a\\u001b[2J", writer.ToString());
    }
}
