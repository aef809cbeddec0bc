using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Fleet.Stacks.Tests.Support;

namespace Fleet.Stacks.Tests;

/// <summary>
/// Issue 11, "deployed by the stack": with FLEET_GIT_URL the real service process keeps FLEET_PROJECT_DIR as its own
/// clone of a bare repository, brings it to origin/main before every run, and sets the node lists from its own records
/// (never git's, which wait for `fleet sync`). The fake CLI records the stack file each `up` saw.
/// </summary>
public sealed class GitModeTests : IDisposable
{
    private readonly GitRemote _remote = new();

    public void Dispose() => _remote.Dispose();

    [Fact]
    public async Task Each_run_uses_the_newest_commit_with_the_services_node_lists_not_gits_stale_ones()
    {
        using var project = new TestProject(_remote, clone: true);
        var first = _remote.Head;
        using var service = ServiceProcess.Start(project, ServiceProcess.FreePort(), env => env["FLEET_GIT_URL"] = _remote.Url);
        await service.WaitHealthyAsync();

        var op = await FinishedAsync(service, await service.ScaleAsync(3));
        Assert.Equal("succeeded", op["operation"]!["state"]!.GetValue<string>());
        Assert.Equal(first, Summary(op)["commit"]!.GetValue<string>());
        Assert.Equal(["a1", "a2", "a3"], project.DeployedNodes("burst"));

        // Someone changes an unrelated setting in git; the PR pipeline has not run `fleet sync`: git still lists a1, a2.
        var second = _remote.Commit("Pulumi.prod.yaml", TestProject.ProdYaml.Replace("maxMonthlyCost: 2000", "maxMonthlyCost: 2500"), "raise the cost ceiling");
        var upsBefore = project.Ups().Count;

        op = await FinishedAsync(service, await service.ScaleAsync(4));
        Assert.Equal("succeeded", op["operation"]!["state"]!.GetValue<string>());
        Assert.Equal(second, Summary(op)["commit"]!.GetValue<string>());
        var up = Assert.Single(project.Ups().Skip(upsBefore));
        Assert.Contains("maxMonthlyCost: 2500", up.StackFile);                    // the new commit's setting
        Assert.Equal(["a1", "a2", "a3", "a4"], Nodes(up.StackFile!));            // not git's [a1, a2] plus two
        Assert.Equal(["a1", "a2", "a3", "a4"], project.Servers("burst"));
        Assert.Equal(["a1", "a2", "a3", "a4"], project.DeployedNodes("burst"));
        Assert.Contains(service.Output, line => line.Contains(second, StringComparison.Ordinal) && line.Contains("uses commit", StringComparison.Ordinal));
        Assert.Equal(second, _remote.Head); // the service never pushes
    }

    [Fact]
    public async Task When_the_git_host_cannot_be_reached_the_run_goes_ahead_on_the_last_fetched_commit_and_says_so()
    {
        using var project = new TestProject(_remote, clone: true);
        var fetched = _remote.Head;
        using var service = ServiceProcess.Start(project, ServiceProcess.FreePort(), env => env["FLEET_GIT_URL"] = _remote.Url);
        await service.WaitHealthyAsync();
        Directory.Move(_remote.Bare, _remote.Bare + ".away"); // the git host is down
        try
        {
            var op = await FinishedAsync(service, await service.ScaleAsync(3));
            Assert.Equal("succeeded", op["operation"]!["state"]!.GetValue<string>());
            Assert.Equal(fetched, Summary(op)["commit"]!.GetValue<string>());
            Assert.Contains("`git fetch --no-tags --force origin +main:refs/remotes/origin/main`", Summary(op)["fetchError"]!.GetValue<string>());
            Assert.Contains(service.Output, l => l.Contains("git fetch of " + _remote.Url + " main failed", StringComparison.Ordinal));
            Assert.Equal(["a1", "a2", "a3"], project.DeployedNodes("burst"));
        }
        finally { Directory.Move(_remote.Bare + ".away", _remote.Bare); }
    }

    [Theory]
    [InlineData("config:after")] // the stack file edited, no up yet
    [InlineData("up:during")]    // up running, one of two servers created, the stack locked
    public async Task Killed_with_its_pulumi_the_restarted_service_applies_the_accepted_change_once_over_a_newer_commit(string step)
    {
        using var project = new TestProject(_remote, clone: true);
        var port = ServiceProcess.FreePort();
        Action<IDictionary<string, string>> git = env => env["FLEET_GIT_URL"] = _remote.Url;
        string id;
        using (var service = ServiceProcess.Start(project, port, git))
        {
            await service.WaitHealthyAsync();
            if (step == "up:during") project.UpBehaves("hang", "succeed");
            else project.PauseAt(step);
            id = await service.ScaleAsync(4);
            if (step == "up:during") await Eventually.TrueAsync(() => project.UpRunning() && project.Servers("burst").Count == 3, "the up to create one server and hang");
            else await Eventually.TrueAsync(() => project.Paused()?.StartsWith(step, StringComparison.Ordinal) == true, $"the fake to stop at {step}");
            await service.KillWithChildrenAsync();
        }
        File.Delete(Path.Combine(project.Control, "pause"));
        var newer = _remote.Commit("Pulumi.prod.yaml", TestProject.ProdYaml.Replace("maxMonthlyCost: 2000", "maxMonthlyCost: 2500"), "meanwhile");
        var upsBefore = project.Ups().Count;

        using (var restarted = ServiceProcess.Start(project, port, git))
        {
            await restarted.WaitHealthyAsync();
            var op = await FinishedAsync(restarted, id);
            Assert.Equal("succeeded", op["operation"]!["state"]!.GetValue<string>());
            Assert.Equal(1, op["operation"]!["resumes"]!.GetValue<int>());
            var stack = (await restarted.Client.GetFromJsonAsync<JsonObject>("/v1/stacks/prod"))!;
            Assert.Null(stack["upOwed"]);
        }
        string[] desired = ["a1", "a2", "a3", "a4"];
        Assert.Equal(desired, project.ConfiguredNodes("burst"));
        Assert.Equal(desired, project.Servers("burst"));
        Assert.Equal(desired, project.DeployedNodes("burst"));
        var last = project.Ups().Skip(upsBefore).Last();
        Assert.Contains("maxMonthlyCost: 2500", last.StackFile);
        Assert.Equal(desired, Nodes(last.StackFile!));
        Assert.Equal(newer, GitRemote.Git(project.Directory, "rev-parse", "HEAD").Trim());
        Assert.Null(project.Raced());
    }

    [Fact]
    public async Task An_empty_project_dir_is_cloned_at_start_and_a_folder_that_is_not_a_clone_is_refused()
    {
        using (var empty = new TestProject(_remote, clone: false))
        using (var service = ServiceProcess.Start(empty, ServiceProcess.FreePort(), env => env["FLEET_GIT_URL"] = _remote.Url))
        {
            await service.WaitHealthyAsync();
            Assert.Equal(_remote.Head, GitRemote.Git(empty.Directory, "rev-parse", "HEAD").Trim());
            Assert.True(File.Exists(Path.Combine(empty.Directory, "Pulumi.prod.yaml")));
        }

        using var other = new TestProject(); // a plain folder with a project, not a git clone
        using var refused = ServiceProcess.Start(other, ServiceProcess.FreePort(), env =>
        {
            env["FLEET_GIT_URL"] = _remote.Url;
            env["FLEET_DATABASE"] = _remote.Database;
        });
        await refused.Process.WaitForExitAsync();
        Assert.Equal(2, refused.Process.ExitCode);
        Assert.Contains(refused.Output, l => l.Contains($"FLEET_PROJECT_DIR={other.Directory} is not empty and is not a clone of FLEET_GIT_URL={_remote.Url}", StringComparison.Ordinal)
            && l.Contains("empty the folder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_ssh_url_runs_git_with_only_the_deploy_key_and_never_the_services_secrets()
    {
        // A fake `ssh` first on PATH: records its argv and environment, then refuses like an unreachable host.
        var bin = Directory.CreateDirectory(Path.Combine(_remote.Root, "bin")).FullName;
        var record = Path.Combine(_remote.Root, "ssh.log");
        File.WriteAllText(Path.Combine(bin, "ssh"), $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{record}'\necho ENV >> '{record}'\nenv >> '{record}'\necho 'ssh: connect to host example.invalid port 22: Connection refused' >&2\nexit 255\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(bin, "ssh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var key = Path.Combine(_remote.Root, "deploy key");
        File.WriteAllText(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1ieXRlcw==\n-----END OPENSSH PRIVATE KEY-----\n");

        using var empty = new TestProject(_remote, clone: false);
        using var service = ServiceProcess.Start(empty, ServiceProcess.FreePort(), env =>
        {
            env["FLEET_GIT_URL"] = "git@example.invalid:org/fleet.git";
            env["FLEET_GIT_SSH_KEY_FILE"] = key;
            env["FLEET_GATEWAY_TOKEN"] = "gateway-token-value";
            env["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        });
        await service.Process.WaitForExitAsync();
        Assert.Equal(2, service.Process.ExitCode);
        var output = string.Join('\n', service.Output);
        Assert.Contains("FLEET_GIT_URL=git@example.invalid:org/fleet.git", output);
        Assert.Contains("Connection refused", output);

        var lines = File.ReadAllLines(record);
        var argv = lines.TakeWhile(l => l != "ENV").ToArray();
        var knownHosts = Path.Combine(Path.GetDirectoryName(_remote.Database)!, "known_hosts");
        Assert.Equal(["-i", key, "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=accept-new", "-o", "UserKnownHostsFile=" + knownHosts],
            argv[..10]);
        Assert.Equal(["git@example.invalid", "git-upload-pack 'org/fleet.git'"], argv[^2..]); // git may add -o SendEnv=GIT_PROTOCOL between
        var env = lines.SkipWhile(l => l != "ENV").Skip(1).ToArray();
        Assert.DoesNotContain(env, l => l.StartsWith("FLEET_", StringComparison.Ordinal) || l.Contains(TestService.SecretText, StringComparison.Ordinal) || l.Contains("gateway-token-value", StringComparison.Ordinal));
        Assert.DoesNotContain("c2VjcmV0LWtleS1ieXRlcw", output);
    }

    private static async Task<JsonObject> FinishedAsync(ServiceProcess service, string id)
    {
        JsonObject op = null!;
        await Eventually.TrueAsync(() =>
        {
            op = service.Client.GetFromJsonAsync<JsonObject>($"/v1/operations/{id}").GetAwaiter().GetResult()!;
            return op["operation"]!["state"]!.GetValue<string>() is "succeeded" or "failed";
        }, $"operation {id} to finish", 90);
        return op;
    }

    private static JsonObject Summary(JsonObject op) => JsonNode.Parse(op["run"]!["summary"]!.GetValue<string>())!.AsObject();

    private static string[] Nodes(string stackFile)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fleet-stacks-seen-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        try
        {
            File.WriteAllText(Path.Combine(path, "Pulumi.prod.yaml"), stackFile);
            return [.. new Fleet.Stacks.Scaling.StackConfigLoader(path, "fleet").Load("prod").Pools.Single(p => p.Name == "burst").NodeIds];
        }
        finally { Directory.Delete(path, recursive: true); }
    }
}
