using System.Text.RegularExpressions;
using Fleet.Infra.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Fleet.Infra.Tests.Workflows;

/// <summary>
/// The two workflows run on hosted runners, whose addresses are not in <c>fleet:adminCidrs</c>: every step that reaches
/// the stack (fleet sync, pulumi preview/up) must come after the step that opens the admin plane to the runner, and the
/// step that closes it must run whatever happened (<c>if: always()</c>). Then the admin-access steps are executed as
/// written in the YAML, against the fake cloud CLIs, from an address outside the prod stack's adminCidrs.
/// </summary>
public sealed class WorkflowTests
{
    public static TheoryData<string, string, string> PulumiJobs => new()
    {
        { "pull-request.yml", "preview", "pulumi-prod-preview" },
        { "main.yml", "up", "pulumi-prod" },
    };

    private sealed record Step(int Index, YamlMappingNode Node)
    {
        public string? Get(string key) => Node.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;

        public YamlMappingNode? Map(string key) => Node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v as YamlMappingNode : null;

        public string Name => Get("name") ?? Get("run") ?? Get("uses") ?? $"step {Index}";

        public string Run => Get("run") ?? "";

        public bool Runs(string scriptCommand) => Regex.IsMatch(Run, $@"(^|\s)scripts/ci-admin-access {scriptCommand}\b");

        /// <summary>Reaches the stack or the machines behind the admin plane: fleet sync, or Pulumi with a command.</summary>
        public bool NeedsAdminPlane =>
            Run.Contains("fleet sync", StringComparison.Ordinal) || Regex.IsMatch(Run, @"(^|\s)pulumi\s")
            || (Get("uses")?.StartsWith("pulumi/actions@", StringComparison.Ordinal) == true && Map("with")?.Children.ContainsKey(new YamlScalarNode("command")) == true);
    }

    private static YamlMappingNode Job(string workflow, string job)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, ".github", "workflows", workflow))) stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        return (YamlMappingNode)((YamlMappingNode)root["jobs"])[job];
    }

    private static Step[] Steps(YamlMappingNode job) =>
        ((YamlSequenceNode)job["steps"]).Children.Cast<YamlMappingNode>().Select((n, i) => new Step(i, n)).ToArray();

    [Theory]
    [MemberData(nameof(PulumiJobs))]
    public void The_admin_plane_is_opened_before_every_step_that_needs_it_and_closed_always(string workflow, string jobName, string concurrency)
    {
        var job = Job(workflow, jobName);
        var steps = Steps(job);

        var open = Assert.Single(steps, s => s.Runs("open"));
        var close = Assert.Single(steps, s => s.Runs("close"));
        var sweep = Assert.Single(steps, s => s.Runs("sweep"));
        var needing = steps.Where(s => s.NeedsAdminPlane).ToArray();

        Assert.Contains(needing, s => s.Run.Contains("fleet sync", StringComparison.Ordinal));
        Assert.Contains(needing, s => s.Get("uses")?.StartsWith("pulumi/actions@", StringComparison.Ordinal) == true);
        Assert.All(needing, s => Assert.True(open.Index < s.Index, $"'{s.Name}' runs before the admin plane is opened"));
        Assert.All(needing, s => Assert.True(s.Index < close.Index, $"'{s.Name}' runs after the admin plane is closed"));
        Assert.True(sweep.Index < open.Index, "stale CI firewalls are swept before this run opens its own");
        Assert.Equal("always()", close.Get("if"));
        Assert.Equal(steps.Length - 1, close.Index);
        Assert.Null(open.Get("if"));
        Assert.Null(open.Get("continue-on-error"));

        // The CLIs are installed before the script needs them, and the script gets the same stack as Pulumi.
        var installs = steps.Where(s => s.Get("uses")?.StartsWith("digitalocean/action-doctl@", StringComparison.Ordinal) == true || s.Run.Contains("hcloud-linux-amd64.tar.gz", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, installs.Length);
        Assert.All(installs, s => Assert.True(s.Index < sweep.Index, $"'{s.Name}' installs a CLI after it is used"));
        var pulumiStack = Scalar(steps.Single(s => s.Map("with")?.Children.ContainsKey(new YamlScalarNode("command")) == true).Map("with")!["stack-name"]);
        foreach (var s in new[] { sweep, open, close })
        {
            Assert.EndsWith("/" + Regex.Match(s.Run, @"--stack (\S+)").Groups[1].Value, pulumiStack);

            // Tokens come from secrets through the step's environment, never on a command line.
            var env = s.Map("env");
            Assert.NotNull(env);
            Assert.Equal("${{ secrets.DIGITALOCEAN_TOKEN }}", Scalar(env["DIGITALOCEAN_ACCESS_TOKEN"]));
            Assert.Equal("${{ secrets.HCLOUD_TOKEN }}", Scalar(env["HCLOUD_TOKEN"]));
            Assert.DoesNotContain("secrets.", s.Run, StringComparison.Ordinal);
        }

        // One Pulumi operation at a time, as before.
        Assert.Equal(concurrency, Scalar(job["concurrency"]));
    }

    [Fact]
    public void No_job_outside_the_pulumi_jobs_reaches_the_stack()
    {
        foreach (var workflow in new[] { "pull-request.yml", "main.yml" })
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, ".github", "workflows", workflow))) stream.Load(reader);
            var jobs = (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode)["jobs"];
            foreach (var (key, job) in jobs.Children)
            {
                var name = Scalar(key);
                if (name is "preview" or "up") continue;
                Assert.DoesNotContain(Steps((YamlMappingNode)job), s => s.NeedsAdminPlane);
            }
        }
    }

    /// <summary>Every <c>run</c> block passes shellcheck as the bash GitHub runs it with (expressions replaced by a word).</summary>
    [Fact]
    public void Every_run_block_passes_shellcheck()
    {
        foreach (var workflow in new[] { "pull-request.yml", "main.yml" })
        {
            var stream = new YamlStream();
            using (var reader = new StreamReader(Path.Combine(RepoPaths.Root, ".github", "workflows", workflow))) stream.Load(reader);
            var jobs = (YamlMappingNode)((YamlMappingNode)stream.Documents.Single().RootNode)["jobs"];
            foreach (var (key, job) in jobs.Children)
            foreach (var step in Steps((YamlMappingNode)job).Where(s => s.Get("run") is not null))
            {
                var file = Path.Combine(Path.GetTempPath(), $"fleet-workflow-{Guid.NewGuid():N}.sh");
                File.WriteAllText(file, "#!/usr/bin/env bash\nset -eo pipefail\n" + Regex.Replace(step.Run, @"\$\{\{[^}]*\}\}", "EXPR") + "\n");
                try
                {
                    var (code, output) = ExternalTool.Run("shellcheck", file);
                    Assert.True(code == 0, $"{workflow} {Scalar(key)} '{step.Name}':\n{output}");
                }
                finally { File.Delete(file); }
            }
        }
    }

    /// <summary>
    /// The job's admin-access steps, executed from their YAML text in order against the fake CLIs: the runner's address
    /// (outside prod's adminCidrs) is allowed to the prod manager while the Pulumi steps would run, a stale CI firewall
    /// of a lost job is swept, and nothing but Pulumi's own firewall is left afterwards.
    /// </summary>
    public static TheoryData<string, string, string> JobsAndClouds => new()
    {
        { "pull-request.yml", "preview", "digitalocean" },
        { "main.yml", "up", "digitalocean" },
        { "pull-request.yml", "preview", "hetzner" },
        { "main.yml", "up", "hetzner" },
    };

    [Theory]
    [MemberData(nameof(JobsAndClouds))]
    public void The_jobs_admin_access_steps_work_from_an_address_outside_adminCidrs(string workflow, string jobName, string cloud)
    {
        const string runner = "198.51.100.77";
        var prod = Fleet.Infra.Synthesis.SynthesisPipeline.Run(TestStacks.Committed("prod")).Config!;
        Assert.DoesNotContain(prod.AdminCidrs, cidr => Contains(cidr, runner));

        using var cli = new FakeCloudCli();
        var tool = cloud == "hetzner" ? "hcloud" : "doctl";
        var pulumiManaged = (Id: cloud == "hetzner" ? "500001" : "11111111-0000-4000-8000-000000000001", Name: "fleet-prod-admin-manager");
        var stale = (Id: cloud == "hetzner" ? "500002" : "11111111-0000-4000-8000-000000000002", Name: $"fleet-ci-prod-17-1-{FakeCloudCli.Now - 24 * 3600}");
        cli.Seed(tool, pulumiManaged, stale);
        var projectDir = RepoPaths.Root;
        if (cloud == "hetzner")
        {
            // The committed prod stack is on DigitalOcean: the same workflow against a Hetzner k3s prod stack.
            projectDir = Path.Combine(cli.Dir, "project");
            Directory.CreateDirectory(projectDir);
            File.WriteAllText(Path.Combine(projectDir, "Pulumi.yaml"), "name: fleet\nruntime: yaml\n");
            File.WriteAllText(Path.Combine(projectDir, "Pulumi.prod.yaml"), "config:\n  fleet:cloud: hetzner # Hetzner Cloud\n  fleet:orchestrator: \"k3s\"\n");
            cli.SeedApplied(pulumiManaged.Id, "fleet.project=fleet,fleet.stack=prod,fleet.role=manager");
            cli.SeedApplied(stale.Id, "fleet.project=fleet,fleet.stack=prod,fleet.role=manager");
        }
        else cli.SeedTag("fleet-prod-manager");
        var output = Path.Combine(cli.Dir, "github-output");
        File.WriteAllText(output, "");
        var steps = Steps(Job(workflow, jobName));
        var cloudOutput = "";
        var ran = new List<string>();

        foreach (var step in steps.Where(s => s.Name.StartsWith("admin access:", StringComparison.Ordinal) && s.Get("run") is not null))
        {
            if (step.Run.Contains("hcloud-linux-amd64.tar.gz", StringComparison.Ordinal)) continue; // installing: the fakes stand in
            if (step.Runs("close"))
            {
                // Where Pulumi runs: the runner, and only the runner, may reach the prod manager's admin ports.
                var ci = cli.Firewalls(tool).Single(f => f.Name.StartsWith("fleet-ci-prod-4242-2-", StringComparison.Ordinal));
                string Arg(string[] call, string flag) => call[Array.IndexOf(call, flag) + 1];
                if (cloud == "hetzner")
                {
                    var rules = cli.Calls.Where(c => c[2] == "add-rule").ToArray();
                    Assert.Equal(["22", "6443"], rules.Select(c => Arg(c, "--port")));
                    Assert.All(rules, c => Assert.Equal($"{runner}/32", Arg(c, "--source-ips")));
                    Assert.Contains($"{ci.Id} fleet.project=fleet,fleet.stack=prod,fleet.role=manager", cli.Applied);
                }
                else
                {
                    var create = cli.Calls.Single(c => c[2] == "firewall" && c[3] == "create");
                    Assert.Equal(ci.Name, Arg(create, "--name"));
                    Assert.Equal("fleet-prod-manager", Arg(create, "--tag-names"));
                    Assert.Equal($"protocol:tcp,ports:22,address:{runner}/32 protocol:tcp,ports:2376,address:{runner}/32", Arg(create, "--inbound-rules"));
                }
            }
            var env = new Dictionary<string, string?>
            {
                ["FLEET_CI_EGRESS_IP"] = runner,
                ["GITHUB_OUTPUT"] = output,
                ["FLEET_PROJECT_DIR"] = projectDir,
                ["DIGITALOCEAN_ACCESS_TOKEN"] = null,
                ["HCLOUD_TOKEN"] = null,
            };
            if (step.Map("env") is { } stepEnv)
                foreach (var (k, v) in stepEnv.Children)
                    env[Scalar(k)] = Scalar(v) switch
                    {
                        "${{ secrets.DIGITALOCEAN_TOKEN }}" => FakeCloudCli.DigitalOceanToken,
                        "${{ secrets.HCLOUD_TOKEN }}" => FakeCloudCli.HetznerToken,
                        var other => other,
                    };
            var result = FakeCloudCli.Exec("bash", ["-eo", "pipefail", "-c", step.Run], cli.Environment(env));
            Assert.True(result.ExitCode == 0, $"step '{step.Name}' failed:\n{result.Stderr}{result.Stdout}");
            if (step.Get("id") == "cloud") cloudOutput = File.ReadAllText(output);
            ran.Add(Regex.Match(step.Run, @"ci-admin-access (\w+)").Groups[1].Value);
        }

        Assert.Equal(["cloud", "sweep", "open", "close"], ran);
        Assert.Equal($"name={cloud}\n", cloudOutput);
        Assert.Equal(new[] { pulumiManaged }, cli.Firewalls(tool));
        Assert.All(cli.Calls, c => Assert.DoesNotContain(c, a => a.Contains(FakeCloudCli.DigitalOceanToken, StringComparison.Ordinal) || a.Contains(FakeCloudCli.HetznerToken, StringComparison.Ordinal)));
        Assert.All(cli.Calls, c => Assert.Equal(tool, c[0]));
        if (cloud == "hetzner") Assert.Equal([$"{pulumiManaged.Id} fleet.project=fleet,fleet.stack=prod,fleet.role=manager"], cli.Applied);
    }

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;

    private static bool Contains(string cidr, string address)
    {
        var parts = cidr.Split('/');
        var network = System.Net.IPAddress.Parse(parts[0]).GetAddressBytes();
        var ip = System.Net.IPAddress.Parse(address).GetAddressBytes();
        if (network.Length != ip.Length) return false;
        var bits = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < bits; i++)
            if ((network[i / 8] >> (7 - i % 8) & 1) != (ip[i / 8] >> (7 - i % 8) & 1)) return false;
        return true;
    }
}
