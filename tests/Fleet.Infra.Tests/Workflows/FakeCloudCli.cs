using System.Diagnostics;
using System.Text;
using Fleet.Infra.Tests.Support;

namespace Fleet.Infra.Tests.Workflows;

/// <summary>
/// Fake <c>doctl</c> and <c>hcloud</c> executables in a temp directory that goes first on PATH. They record each call's
/// argv (one line, arguments separated by U+001F) and the API token each received through its environment, and keep
/// firewalls, tags and label-selector attachments in files, answering like the real CLIs for the commands
/// <c>scripts/ci-admin-access</c> uses. Hetzner's rule that an applied firewall cannot be deleted (resource_in_use) is
/// enforced; anything else exits 64 so an unexpected call fails the test.
/// </summary>
public sealed class FakeCloudCli : IDisposable
{
    public const string DigitalOceanToken = "dop_v1_fake0123456789abcdef0123456789abcdef0123456789abcdef0123456789";
    public const string HetznerToken = "hcloudFAKEtoken0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR";
    public const long Now = 1_800_000_000;
    public const string RunnerAddress = "203.0.113.9";
    public const string RunId = "4242";
    public const string Attempt = "2";

    /// <summary>The name <c>open</c> gives the firewall for stack <c>prod</c> with the defaults above.</summary>
    public const string ProdFirewall = "fleet-ci-prod-4242-2-1800000000";

    public static readonly string Script = Path.Combine(RepoPaths.Root, "scripts", "ci-admin-access");

    public string Dir { get; } = Directory.CreateTempSubdirectory("fleet-ci-cli-").FullName;

    public FakeCloudCli()
    {
        foreach (var tool in new[] { "doctl", "hcloud" })
        {
            var path = Path.Combine(Dir, tool);
            File.WriteAllText(path, FakeScript.Replace("@STATE@", Dir, StringComparison.Ordinal));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
            File.WriteAllText(Path.Combine(Dir, tool + ".firewalls"), "");
            File.WriteAllText(Path.Combine(Dir, tool + ".applied"), "");
            File.WriteAllText(Path.Combine(Dir, tool + ".tags"), "");
        }
    }

    /// <summary>Existing firewalls ("id name"), as if created earlier by Pulumi or other jobs.</summary>
    public void Seed(string tool, params (string Id, string Name)[] firewalls) =>
        File.AppendAllText(Path.Combine(Dir, tool + ".firewalls"), string.Concat(firewalls.Select(f => $"{f.Id} {f.Name}\n")));

    /// <summary>A Hetzner firewall already applied to a label selector.</summary>
    public void SeedApplied(string id, string selector) => File.AppendAllText(Path.Combine(Dir, "hcloud.applied"), $"{id} {selector}\n");

    public void SeedTag(string tag) => File.AppendAllText(Path.Combine(Dir, "doctl.tags"), tag + "\n");

    /// <summary>Every call so far, each as [tool, arg1, arg2, ...].</summary>
    public IReadOnlyList<string[]> Calls
    {
        get
        {
            var log = Path.Combine(Dir, "calls.log");
            return File.Exists(log) ? File.ReadAllLines(log).Select(l => l.Split('\u001f')).ToArray() : [];
        }
    }

    /// <summary>The token each call found in its environment, as "tool token" lines.</summary>
    public IReadOnlyList<string> TokenEnvironment
    {
        get
        {
            var log = Path.Combine(Dir, "env.log");
            return File.Exists(log) ? File.ReadAllLines(log) : [];
        }
    }

    public IReadOnlyList<(string Id, string Name)> Firewalls(string tool) =>
        File.ReadAllLines(Path.Combine(Dir, tool + ".firewalls")).Where(l => l.Length > 0)
            .Select(l => l.Split(' ', 2)).Select(p => (p[0], p[1])).ToArray();

    public IReadOnlyList<string> Applied => File.ReadAllLines(Path.Combine(Dir, "hcloud.applied")).Where(l => l.Length > 0).ToArray();

    public IReadOnlyList<string> Tags => File.ReadAllLines(Path.Combine(Dir, "doctl.tags")).Where(l => l.Length > 0).ToArray();

    /// <summary>The environment a job step would give the script, with the fakes first on PATH.</summary>
    public Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["PATH"] = Dir + ":" + System.Environment.GetEnvironmentVariable("PATH"),
            ["FLEET_CI_EGRESS_IP"] = RunnerAddress,
            // Never reached: discovery is only used when FLEET_CI_EGRESS_IP is unset, and then tests serve it locally.
            ["FLEET_CI_IP_URL"] = "http://127.0.0.1:9/",
            ["GITHUB_RUN_ID"] = RunId,
            ["GITHUB_RUN_ATTEMPT"] = Attempt,
            ["FLEET_CI_NOW"] = Now.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["FLEET_CI_POLL_SECONDS"] = "0",
            ["DIGITALOCEAN_ACCESS_TOKEN"] = DigitalOceanToken,
            ["HCLOUD_TOKEN"] = HetznerToken,
        };
        foreach (var (k, v) in overrides ?? new Dictionary<string, string?>()) env[k] = v;
        return env;
    }

    /// <summary>Runs <c>scripts/ci-admin-access</c> (from the repository root) with <see cref="Environment"/>.</summary>
    public (int ExitCode, string Stdout, string Stderr) Run(string[] args, IReadOnlyDictionary<string, string?>? env = null) =>
        Exec(Script, args, Environment(env));

    /// <summary>Runs a program with exactly the CI-relevant variables of the test process replaced by <paramref name="env"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Exec(string file, string[] args, IReadOnlyDictionary<string, string?> env)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Tests also run inside GitHub Actions: nothing of the real job may leak into the script under test.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("GITHUB_", StringComparison.Ordinal) || k.StartsWith("FLEET_", StringComparison.Ordinal)
                     || k.StartsWith("DIGITALOCEAN_", StringComparison.Ordinal) || k.StartsWith("HCLOUD_", StringComparison.Ordinal)).ToArray())
            psi.Environment.Remove(key);
        foreach (var (k, v) in env)
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 60 s");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }

    private const string FakeScript = """
        #!/usr/bin/env bash
        # Fake cloud CLI for Fleet's tests: records argv and the token it was given, keeps state in files.
        set -u
        state='@STATE@'
        tool=$(basename "$0")
        { printf '%s' "$tool"; for a in "$@"; do printf '\037%s' "$a"; done; printf '\n'; } >>"$state/calls.log"
        case $tool in
          doctl) printf 'doctl %s\n' "${DIGITALOCEAN_ACCESS_TOKEN-<unset>}" >>"$state/env.log" ;;
          hcloud) printf 'hcloud %s\n' "${HCLOUD_TOKEN-<unset>}" >>"$state/env.log" ;;
        esac
        fw=$state/$tool.firewalls
        applied=$state/$tool.applied
        tags=$state/$tool.tags
        next_id() { local n; n=$(cat "$state/$tool.counter" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" >"$state/$tool.counter"; echo "$n"; }
        id_of() { awk -v k="$1" '$1 == k || $2 == k { print $1; exit }' "$fw"; }
        flag() { local f=$1; shift; while (($#)); do if [[ $1 == "$f" ]]; then echo "${2-}"; return; fi; shift; done; }
        unexpected() { echo "fake $tool: unexpected call: $*" >&2; exit 64; }
        remove_line() { local file=$1 pattern=$2; grep -v -- "$pattern" "$file" >"$file.tmp" || true; mv "$file.tmp" "$file"; }

        if [[ $tool == doctl ]]; then
          case "${1-} ${2-} ${3-}" in
            "compute tag get")
              if grep -qxF -- "$4" "$tags"; then echo "$4"; else echo "Error: GET https://api.digitalocean.com/v2/tags/$4: 404 (request \"fake\") The resource you were accessing could not be found." >&2; exit 1; fi ;;
            "compute tag create") echo "$4" >>"$tags"; echo "$4" ;;
            "compute firewall create")
              name=$(flag --name "$@")
              for t in $(flag --tag-names "$@" | tr ',' ' '); do
                grep -qxF -- "$t" "$tags" || { echo "Error: POST https://api.digitalocean.com/v2/firewalls: 422 (request \"fake\") tag $t does not exist" >&2; exit 1; }
              done
              id=$(printf 'fb6045f1-cf1d-4ca3-bfac-%012d' "$(next_id)")
              echo "$id $name" >>"$fw"
              echo "$id" ;;
            "compute firewall get")
              grep -q "^$4 " "$fw" || { echo "Error: GET https://api.digitalocean.com/v2/firewalls/$4: 404 (request \"fake\") The resource you were accessing could not be found." >&2; exit 1; }
              # Like DigitalOcean: `waiting` while droplets get the rules, then `succeeded`.
              if [[ -f $state/polled-$4 ]]; then echo succeeded; else touch "$state/polled-$4"; echo waiting; fi ;;
            "compute firewall list") cat "$fw" ;;
            "compute firewall delete")
              grep -q "^$4 " "$fw" || { echo "Error: DELETE https://api.digitalocean.com/v2/firewalls/$4: 404 (request \"fake\") The resource you were accessing could not be found." >&2; exit 1; }
              remove_line "$fw" "^$4 " ;;
            *) unexpected "$@" ;;
          esac
        else
          case "${1-} ${2-}" in
            "firewall create")
              name=$(flag --name "$@")
              id=$((1000000 + $(next_id)))
              echo "$id $name" >>"$fw"
              echo "Firewall $id created" ;;
            "firewall add-rule")
              id=$(id_of "$3"); [[ -n $id ]] || { echo "hcloud: Firewall not found: $3" >&2; exit 1; }
              echo "Firewall Rules for Firewall $id updated" ;;
            "firewall apply-to-resource")
              id=$(id_of "$3"); [[ -n $id ]] || { echo "hcloud: Firewall not found: $3" >&2; exit 1; }
              echo "$id $(flag --label-selector "$@")" >>"$applied"
              echo "Firewall $id applied to resource" ;;
            "firewall list") cat "$fw" ;;
            "firewall describe")
              id=$(id_of "$3"); [[ -n $id ]] || { echo "hcloud: Firewall not found: $3" >&2; exit 1; }
              awk -v id="$id" '$1 == id { print $2 }' "$applied" ;;
            "firewall remove-from-resource")
              id=$(id_of "$3"); [[ -n $id ]] || { echo "hcloud: Firewall not found: $3" >&2; exit 1; }
              remove_line "$applied" "^$id $(flag --label-selector "$@")\$"
              echo "Firewall $id removed from resource" ;;
            "firewall delete")
              id=$(id_of "$3"); [[ -n $id ]] || { echo "hcloud: Firewall not found: $3" >&2; exit 1; }
              if grep -q "^$id " "$applied"; then echo "hcloud: firewall with ID $id is still in use (resource_in_use, fake)" >&2; exit 1; fi
              remove_line "$fw" "^$id "
              echo "Firewall $id deleted" ;;
            *) unexpected "$@" ;;
          esac
        fi
        """;
}
