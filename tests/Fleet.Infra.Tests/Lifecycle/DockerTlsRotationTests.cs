using Fleet.Infra.Orchestrators.Swarm;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Lifecycle;

/// <summary>
/// A renewed Docker server certificate reaches the running manager (it never would through ignored user data): the
/// rotation script, run for real with fake <c>systemctl</c>/<c>docker</c> on PATH, restarts Docker only when the
/// certificate changed, and the docker provider connects only after it.
/// </summary>
public sealed class DockerTlsRotationTests : IDisposable
{
    private const string OldCert = "-----BEGIN CERTIFICATE-----\nOLD\n-----END CERTIFICATE-----\n";
    private const string OldKey = "-----BEGIN EC PRIVATE KEY-----\nOLDKEY\n-----END EC PRIVATE KEY-----\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("fleet-tls-rotation").FullName;

    public DockerTlsRotationTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "tls"));
        Directory.CreateDirectory(Path.Combine(_dir, "bin"));
        File.WriteAllText(Path.Combine(_dir, "tls", "server-cert.pem"), OldCert);
        File.WriteAllText(Path.Combine(_dir, "tls", "server-key.pem"), OldKey);
        foreach (var tool in new[] { "systemctl", "docker" })
        {
            var path = Path.Combine(_dir, "bin", tool);
            File.WriteAllText(path, $"#!/bin/sh\necho \"{tool} $*\" >> {_dir}/calls\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private (int Code, string Output) Run(string stdin)
    {
        File.WriteAllText(Path.Combine(_dir, "stdin"), stdin);
        var script = DockerTlsRotation.Script(Path.Combine(_dir, "tls"));
        return ExternalTool.Run("sh", "-c", $"PATH={_dir}/bin:$PATH; export PATH; {{\n{script}\n}} < {_dir}/stdin");
    }

    private string Calls => File.Exists(Path.Combine(_dir, "calls")) ? File.ReadAllText(Path.Combine(_dir, "calls")) : "";

    [Fact]
    public void The_same_certificate_changes_nothing_and_restarts_nothing()
    {
        var (code, output) = Run(OldCert + OldKey);

        Assert.True(code == 0, output);
        Assert.Equal("", Calls);
    }

    [Fact]
    public void A_renewed_certificate_is_installed_with_a_private_key_mode_and_docker_restarts_once()
    {
        const string newCert = "-----BEGIN CERTIFICATE-----\nNEW\n-----END CERTIFICATE-----\n";
        const string newKey = "-----BEGIN EC PRIVATE KEY-----\nNEWKEY\n-----END EC PRIVATE KEY-----\n";

        var (code, output) = Run(newCert + newKey);

        Assert.True(code == 0, output);
        Assert.Equal(newCert, File.ReadAllText(Path.Combine(_dir, "tls", "server-cert.pem")));
        Assert.Equal(newKey, File.ReadAllText(Path.Combine(_dir, "tls", "server-key.pem")));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "tls", "server-key.pem")));
        Assert.Equal("systemctl restart docker\ndocker info\n", Calls);
        Assert.DoesNotContain("NEWKEY", output);
    }

    [Fact]
    public void An_incomplete_bundle_changes_nothing()
    {
        var (code, _) = Run("-----BEGIN CERTIFICATE-----\nNEW\n-----END CERTIFICATE-----\n");

        Assert.NotEqual(0, code);
        Assert.Equal(OldCert, File.ReadAllText(Path.Combine(_dir, "tls", "server-cert.pem")));
        Assert.Equal("", Calls);
    }

    [Fact]
    public void The_script_passes_shellcheck()
    {
        var path = Path.Combine(_dir, "rotate.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + DockerTlsRotation.Script());
        var (code, output) = ExternalTool.Run("shellcheck", ["--severity=style", path]);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void The_docker_provider_connects_after_the_rotation_which_carries_the_current_certificate_on_stdin()
    {
        var (_, program) = Fleets.Evaluate();
        var rotation = program["docker-tls-rotation"];

        Assert.True(rotation.IsSecret("stdin"), "the server key must stay secret");
        Assert.Contains("MOCKdocker-server-key", rotation.InputString("stdin"));
        Assert.Contains("docker-tls-rotation", program["docker"].AllDependencies);
        Assert.Contains("docker-server-cert", rotation.AllDependencies);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
