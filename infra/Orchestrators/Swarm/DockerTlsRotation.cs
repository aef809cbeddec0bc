using Fleet.Infra.Clouds;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Orchestrators.Swarm;

/// <summary>
/// Delivers a renewed Docker server certificate to the running manager. The certificate reaches a new manager through
/// its user data, which the manager ignores afterwards (a change must not replace it), so the renewal that tls plans
/// ~30 days before expiry (<c>earlyRenewalHours</c>) would otherwise never arrive and Pulumi would lose the Docker API
/// when the old one expires. The command runs before the docker provider connects; it compares what it receives with the
/// files in place and does nothing when they are equal (every first up: cloud-init wrote the same certificate), else
/// installs them and restarts Docker once (Swarm services on the manager restart with it: a planned, once-in-5-years step).
/// </summary>
public static class DockerTlsRotation
{
    public const string Directory = "/etc/fleet/docker-tls";

    /// <summary>The script: the certificate and key arrive on stdin as one PEM bundle (never in the command line or logs).</summary>
    public static string Script(string directory = Directory) => $$"""
        set -eu
        umask 077
        dir={{directory}}
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        cat > "$tmp/bundle"
        sed -n '/-----BEGIN CERTIFICATE-----/,/-----END CERTIFICATE-----/p' "$tmp/bundle" > "$tmp/cert"
        sed -n '/-----BEGIN [A-Z ]*PRIVATE KEY-----/,/-----END [A-Z ]*PRIVATE KEY-----/p' "$tmp/bundle" > "$tmp/key"
        if [ ! -s "$tmp/cert" ] || [ ! -s "$tmp/key" ]; then
          echo "fleet: the Docker server certificate bundle is incomplete; nothing was changed" >&2
          exit 1
        fi
        if cmp -s "$tmp/cert" "$dir/server-cert.pem" && cmp -s "$tmp/key" "$dir/server-key.pem"; then
          exit 0
        fi
        install -m 0644 "$tmp/cert" "$dir/server-cert.pem.new"
        install -m 0600 "$tmp/key" "$dir/server-key.pem.new"
        mv "$dir/server-cert.pem.new" "$dir/server-cert.pem"
        mv "$dir/server-key.pem.new" "$dir/server-key.pem"
        echo "fleet: installed a renewed Docker server certificate; restarting Docker" >&2
        systemctl restart docker
        i=0
        until docker info >/dev/null 2>&1; do
          i=$((i + 1))
          if [ "$i" -ge 60 ]; then echo "fleet: Docker did not come back after the certificate change" >&2; exit 1; fi
          sleep 2
        done

        """;

    public static PulumiResource Add(ProgramBuilder program, ICloudTarget cloud, PulumiResource manager, PulumiResource ready, PulumiResource sshKey, DockerTlsPki pki) =>
        program.Add("docker-tls-rotation", StackTypes.RemoteCommand, new PMapBuilder
        {
            { "connection", ManagerShell.Connection(cloud, sshKey) },
            { "create", Px.Lit(Script()) },
            { "stdin", Px.Secret(Px.Concat(pki.ServerCert.Out("certPem"), pki.ServerKey.Out("privateKeyPem"))) },
            // Runs again when the certificate is renewed, and on a new manager (where it finds the files equal).
            { "triggers", new PList(manager.Out("id"), pki.ServerCert.Out("id")) },
            { "logging", "none" },
        }, options: new PMapBuilder { { "dependsOn", ProgramBuilder.Refs(ready) } });
}
