using Fleet.Infra.Pulumi;

namespace Fleet.Infra.CloudInit;

/// <summary>
/// Builds a <c>#cloud-config</c> document. The program renders it with <c>fn::toJSON</c> (JSON is YAML), so
/// values that are only known at deploy time — PEM blocks, tokens, addresses — can never break the YAML.
/// </summary>
public sealed class CloudConfigBuilder
{
    /// <summary>Where bootstrap scripts are installed on a node.</summary>
    public const string ScriptDirectory = "/usr/local/lib/fleet";

    private readonly List<string> _packages = [];
    private readonly List<PValue> _files = [];
    private readonly List<PValue> _commands = [];

    /// <summary>Adds a Debian/Ubuntu package to install.</summary>
    public CloudConfigBuilder Package(string name)
    {
        if (!_packages.Contains(name)) _packages.Add(name);
        return this;
    }

    /// <summary>Adds a file; <paramref name="content"/> may hold references (<see cref="Px.Concat"/>).</summary>
    public CloudConfigBuilder File(string path, PValue content, string permissions = "0644") =>
        Add(_files, new PMapBuilder { { "path", path }, { "content", content }, { "owner", "root:root" }, { "permissions", permissions } }.Build());

    /// <summary>Installs an embedded script from <c>Scripts/</c> under <see cref="ScriptDirectory"/>.</summary>
    public CloudConfigBuilder Script(string name) => File($"{ScriptDirectory}/{name}", Px.Lit(EmbeddedScripts.Read(name)), "0755");

    /// <summary>Runs a command (argv form, no shell) at the end of first boot.</summary>
    public CloudConfigBuilder Run(params string[] argv) => Add(_commands, Px.Strings(argv));

    /// <summary>The document as a value tree.</summary>
    public PMap Build() => new PMapBuilder
    {
        // Password logins stay off; the stack's generated key is the only way in.
        { "ssh_pwauth", false },
        { "package_update", _packages.Count > 0 ? true : null },
        { "packages", _packages.Count > 0 ? Px.Strings(_packages) : null },
        { "write_files", _files.Count > 0 ? new PList(_files.ToArray()) : null },
        { "runcmd", _commands.Count > 0 ? new PList(_commands.ToArray()) : null },
    }.Build();

    /// <summary>
    /// The user-data expression: <c>fn::secret</c> of <c>"#cloud-config\n" + toJSON(document)</c>. User data that
    /// carries credentials stays a secret in state and output.
    /// </summary>
    public PValue ToUserData(bool secret)
    {
        PValue text = new PMap([new("fn::join", new PList(Px.Lit("\n"), new PList(Px.Lit("#cloud-config"), Px.ToJson(Build()))))]);
        return secret ? Px.Secret(text) : text;
    }

    private CloudConfigBuilder Add(List<PValue> list, PValue value)
    {
        list.Add(value);
        return this;
    }
}
