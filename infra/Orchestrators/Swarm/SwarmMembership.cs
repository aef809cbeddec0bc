using System.Globalization;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Orchestrators.Swarm;

/// <summary>
/// A Swarm worker's node, found by its private address (Swarm allows two nodes with one host name, so the name is not an
/// identity), and removed by the id recorded when it joined: drain, wait for its tasks to stop, then <c>node rm</c>.
/// </summary>
public static class SwarmMembership
{
    private static readonly string RecordBody = $$$"""
        id=''
        i=0
        while [ -z "$id" ] && [ "$i" -lt {{{(NodeMembership.JoinWaitSeconds / 5).ToString(CultureInfo.InvariantCulture)}}} ]; do
          id=$(docker node ls -q | xargs -r docker node inspect --format '{{.ID}} {{.Status.Addr}}' | awk -v a="$addr" '$2 == a { print $1; exit }')
          if [ -z "$id" ]; then i=$((i + 1)); sleep 5; fi
        done
        if [ -z "$id" ]; then echo "the worker at $addr did not join the swarm within {{{NodeMembership.JoinWaitSeconds / 60}}} minutes" >&2; exit 1; fi
        mkdir -p {{{NodeMembership.RecordDirectory}}}
        printf '%s\n' "$id" > "$rec"
        printf '%s' "$id"
        """;

    // PULUMI_COMMAND_STDOUT holds the recorded id when sshd accepts it (AcceptEnv); the file on the manager otherwise.
    private const string ForgetBody = """
        id=$(printenv PULUMI_COMMAND_STDOUT || cat "$rec" 2>/dev/null || true)
        if [ -z "$id" ]; then echo "no swarm node recorded for $addr: nothing to forget" >&2; exit 0; fi
        if docker node inspect "$id" >/dev/null 2>&1; then
          docker node update --availability drain "$id" >/dev/null
          i=0
          while [ -n "$(docker node ps "$id" --filter desired-state=running -q)" ] && [ "$i" -lt 24 ]; do i=$((i + 1)); sleep 5; done
          docker node rm --force "$id" >/dev/null
        fi
        rm -f "$rec"
        """;

    public static NodeMembership For(PString privateAddress, PString serverId) =>
        new(NodeMembership.Script(privateAddress, serverId, RecordBody), NodeMembership.Script(privateAddress, serverId, ForgetBody));
}
