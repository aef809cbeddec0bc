using Fleet.Stacks.Git;

namespace Fleet.Stacks.Tests;

public sealed class GitOptionsReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-stacks-gitopts-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Without_a_url_git_mode_is_off()
    {
        var errors = new List<string>();
        Assert.Null(GitOptionsReader.Read(_ => null, "/srv/fleet", "/var/lib/fleet-stacks/stacks.db", errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void Accepts_an_ssh_url_with_a_deploy_key_and_defaults_to_main_and_accept_new()
    {
        var key = Write("deploy-key", "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n");
        var errors = new List<string>();
        var git = GitOptionsReader.Read(Env(("FLEET_GIT_URL", "git@github.com:acme/fleet.git"), ("FLEET_GIT_SSH_KEY_FILE", key)), "/srv/fleet", "/var/lib/fleet-stacks/stacks.db", errors);
        Assert.Empty(errors);
        Assert.Equal(new GitOptions("git@github.com:acme/fleet.git", "main", key, null, "/var/lib/fleet-stacks"), git);
        Assert.Equal($"ssh -i '{key}' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=accept-new -o 'UserKnownHostsFile=/var/lib/fleet-stacks/known_hosts'",
            new GitEnvironment(git!).SshCommand);
        var pinned = git! with { KnownHostsFile = "/run/secrets/known hosts" };
        Assert.EndsWith("-o StrictHostKeyChecking=yes -o 'UserKnownHostsFile=/run/secrets/known hosts'", new GitEnvironment(pinned).SshCommand);
    }

    [Fact]
    public void The_git_child_gets_an_allow_list_without_the_services_secrets()
    {
        Environment.SetEnvironmentVariable("FLEET_WEBHOOK_SECRET_TEST_PROBE", "x");
        try
        {
            var env = new GitEnvironment(new GitOptions("file:///srv/git/fleet.git", "main", null, null, "/var/lib/fleet-stacks")).ForChild();
            Assert.Null(env["FLEET_WEBHOOK_SECRET_TEST_PROBE"]); // removed from the child's environment
            Assert.False(env.ContainsKey("PATH"));                 // inherited as it is
            Assert.Equal("0", env["GIT_TERMINAL_PROMPT"]);
            Assert.False(env.ContainsKey("GIT_SSH_COMMAND"));
            Assert.False(GitEnvironment.Allows("FLEET_GATEWAY_TOKEN"));
            Assert.False(GitEnvironment.Allows("PULUMI_ACCESS_TOKEN"));
        }
        finally { Environment.SetEnvironmentVariable("FLEET_WEBHOOK_SECRET_TEST_PROBE", null); }
    }

    [Theory]
    [InlineData("FLEET_GIT_URL=git@github.com:acme/fleet.git", "FLEET_GIT_SSH_KEY_FILE is required with the ssh URL FLEET_GIT_URL=git@github.com:acme/fleet.git")]
    [InlineData("FLEET_GIT_URL=https://user:ghp_token@github.com/acme/fleet.git", "FLEET_GIT_URL must not carry credentials")]
    [InlineData("FLEET_GIT_URL=ftp://example.com/fleet.git", "FLEET_GIT_URL=ftp://example.com/fleet.git must be an ssh URL")]
    [InlineData("FLEET_GIT_URL=https://github.com/acme/fleet.git;FLEET_GIT_REF=-main", "FLEET_GIT_REF=-main is not a branch or tag name")]
    [InlineData("FLEET_GIT_URL=https://github.com/acme/fleet.git;FLEET_GIT_REF=a..b", "FLEET_GIT_REF=a..b is not a branch or tag name")]
    [InlineData("FLEET_GIT_URL=https://github.com/acme/fleet.git;FLEET_GIT_SSH_KEY_FILE=/k", "FLEET_GIT_SSH_KEY_FILE=/k is only used with an ssh FLEET_GIT_URL")]
    [InlineData("FLEET_GIT_URL=ssh://git@github.com/acme/fleet.git;FLEET_GIT_SSH_KEY_FILE={dir}/missing", "FLEET_GIT_SSH_KEY_FILE={dir}/missing: cannot be read")]
    [InlineData("FLEET_GIT_URL=ssh://git@github.com/acme/fleet.git;FLEET_GIT_SSH_KEY_FILE={dir}/key.pub", "FLEET_GIT_SSH_KEY_FILE={dir}/key.pub: is not a private key file")]
    [InlineData("FLEET_GIT_REF=main", "FLEET_GIT_REF is set but FLEET_GIT_URL is not")]
    [InlineData("FLEET_GIT_URL=file:///srv/git/fleet.git;FLEET_DATABASE={dir}/clone/state/stacks.db", "is inside FLEET_PROJECT_DIR={dir}/clone, the service's clone")]
    public void Rejects_bad_settings_naming_the_variable_and_the_fix(string settings, string message)
    {
        Write("key.pub", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA deploy\n");
        var pairs = settings.Replace("{dir}", _dir, StringComparison.Ordinal).Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var errors = new List<string>();
        Assert.Null(GitOptionsReader.Read(pairs.GetValueOrDefault, Path.Combine(_dir, "clone"), pairs.GetValueOrDefault("FLEET_DATABASE") ?? "/var/lib/fleet-stacks/stacks.db", errors));
        var error = Assert.Single(errors);
        Assert.Contains(message.Replace("{dir}", _dir, StringComparison.Ordinal), error);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] vars) => name => vars.FirstOrDefault(v => v.Name == name).Value;
}
