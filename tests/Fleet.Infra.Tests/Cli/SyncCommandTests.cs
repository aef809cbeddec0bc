using Fleet.Infra.Cli;
using Fleet.Infra.Configuration;
using Fleet.Infra.PulumiCli;

namespace Fleet.Infra.Tests.Cli;

public class SyncCommandTests
{
    /// <summary>Records every invocation and answers with a canned result (the PulumiCommand seam).</summary>
    private sealed class RecordingPulumi(CommandResult result) : PulumiCommand
    {
        public List<(IReadOnlyList<string> Args, string Dir)> Calls { get; } = [];

        public override Task<CommandResult> RunAsync(IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
        {
            Calls.Add((args, workingDirectory));
            return Task.FromResult(result);
        }
    }

    private const string StackFile = """
    config:
      fleet:cloud: digitalocean
      fleet:region: fra1
      fleet:pools:
        - name: cpu
          size: c-4
          count: 2
        - name: burst
          size: c-4
          nodes: ["a1", "a2"]
          max: 6
    """;

    [Fact]
    public async Task Writes_deployed_node_ids_of_listed_pools_back_and_leaves_the_rest()
    {
        var dir = Directory.CreateTempSubdirectory("fleet-sync").FullName;
        File.WriteAllText(Path.Combine(dir, "Pulumi.yaml"), "name: fleet\nruntime: yaml\n");
        File.WriteAllText(Path.Combine(dir, "Pulumi.dev.yaml"), StackFile);
        var pulumi = new RecordingPulumi(new CommandResult(0, """{"cpu":{"nodes":["1","2","3"]},"burst":{"nodes":["a1","a2","a7"]}}""", ""));
        var stdout = new StringWriter();

        var code = await SyncCommand.RunAsync(pulumi, "dev", dir, stdout, new StringWriter(), CancellationToken.None);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["stack", "output", "pools", "--json", "--stack", "dev"], Assert.Single(pulumi.Calls).Args);
        var config = StackFileConfigSource.Parse(File.ReadAllText(Path.Combine(dir, "Pulumi.dev.yaml")), "dev", "fleet");
        var pools = config.Get("fleet:pools")!.Value!.AsArray();
        Assert.Equal(2L, (long)pools[0]!["count"]!); // count-based pool: git owns it
        Assert.Equal(["a1", "a2", "a7"], pools[1]!["nodes"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(6L, (long)pools[1]!["max"]!);
        Assert.Contains("pool burst: nodes [a1, a2] -> [a1, a2, a7]", stdout.ToString());
    }

    [Fact]
    public async Task A_failing_pulumi_leaves_the_file_alone_and_reports_stderr()
    {
        var dir = Directory.CreateTempSubdirectory("fleet-sync").FullName;
        File.WriteAllText(Path.Combine(dir, "Pulumi.dev.yaml"), StackFile);
        var stderr = new StringWriter();

        var code = await SyncCommand.RunAsync(new RecordingPulumi(new CommandResult(6, "", "error: no stack named 'dev' found")), "dev", dir, new StringWriter(), stderr, CancellationToken.None);

        Assert.Equal(ExitCodes.PulumiFailed, code);
        Assert.Contains("no stack named 'dev' found", stderr.ToString());
        Assert.Equal(StackFile, File.ReadAllText(Path.Combine(dir, "Pulumi.dev.yaml")));
    }
}
