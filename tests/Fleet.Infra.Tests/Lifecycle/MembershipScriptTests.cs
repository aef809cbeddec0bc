using System.Diagnostics;
using Fleet.Infra.Orchestrators;
using Fleet.Infra.Tests.Evaluation;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Lifecycle;

/// <summary>
/// The membership commands as the manager runs them (bash), against a recording fake <c>docker</c> that models a swarm's
/// nodes: what the cluster ends up knowing after a worker is replaced under the same host name.
/// </summary>
public sealed class MembershipScriptTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-membership-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string FakeDocker = """
        #!/usr/bin/env bash
        # nodes: "id addr availability" per line; every call appended to calls.
        set -eu
        state="$(dirname "$0")/nodes"
        echo "$*" >> "$(dirname "$0")/calls"
        case "$1 $2" in
          "node ls") cut -d' ' -f1 "$state" ;;
          "node inspect")
            if [ "$3" = "--format" ]; then shift 4; for id in "$@"; do awk -v i="$id" '$1 == i { print $1, $2 }' "$state"; done
            else grep -q "^$3 " "$state"; fi ;;
          "node update") sed -i "s/^$5 \([^ ]*\) .*/$5 \1 drain/" "$state" ;;
          "node ps") awk -v i="$3" '$1 == i && $3 != "drain" { print "task-" i }' "$state" ;;
          "node rm") id="${*: -1}"; sed -i "/^$id /d" "$state" ;;
          *) echo "unexpected: $*" >&2; exit 2 ;;
        esac
        """;

    [Fact]
    public void Forget_removes_exactly_the_recorded_node_while_it_is_still_ready()
    {
        var (_, program) = Fleets.Evaluate(("fleet:pools", "[{name: cpu, size: s-4vcpu-8gb, nodes: [a]}]"));
        var membership = program["node-membership-cpu-a"];
        var address = (string)program["worker-cpu-a"].Outputs["ipv4AddressPrivate"]!;
        File.WriteAllText(Path.Combine(_dir, "docker"), FakeDocker.Replace("\r", "", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(_dir, "docker"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // The worker joined as n-old; a node under the same host name but another address (n-other) must survive.
        File.WriteAllText(Path.Combine(_dir, "nodes"), $"n-old {address} active\nn-other 10.210.0.99 active\n");

        var recorded = Bash(membership.InputString("create"));
        Assert.Equal("n-old", recorded);

        Bash(membership.InputString("delete"));

        Assert.Equal(["n-other 10.210.0.99 active"], File.ReadAllLines(Path.Combine(_dir, "nodes")));
        var calls = File.ReadAllLines(Path.Combine(_dir, "calls"));
        Assert.True(Array.FindIndex(calls, c => c.StartsWith("node update --availability drain n-old", StringComparison.Ordinal)) < Array.FindIndex(calls, c => c == "node rm --force n-old"), string.Join("\n", calls));
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "members")));
    }

    [Fact]
    public void Membership_scripts_pass_shellcheck()
    {
        foreach (var orchestrator in new[] { "swarm", "k3s" })
        {
            var (_, program) = Fleets.Evaluate(("fleet:orchestrator", orchestrator));
            foreach (var command in new[] { "create", "delete" })
            {
                var path = Path.Combine(_dir, $"{orchestrator}-{command}.sh");
                File.WriteAllText(path, "#!/bin/bash\n" + program["node-membership-cpu-1"].InputString(command) + "\n");
                var (code, output) = ExternalTool.Run("shellcheck", ["-S", "warning", path]);
                Assert.True(code == 0, $"{orchestrator} {command}:\n{output}");
            }
        }
    }

    private string Bash(string script)
    {
        script = script.Replace(NodeMembership.RecordDirectory, Path.Combine(_dir, "members"), StringComparison.Ordinal);
        var psi = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PATH"] = _dir + ":" + Environment.GetEnvironmentVariable("PATH");
        psi.Environment.Remove("PULUMI_COMMAND_STDOUT");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEnd();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr);
        return stdout;
    }
}
