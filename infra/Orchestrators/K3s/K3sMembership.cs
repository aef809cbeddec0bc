using System.Globalization;
using Fleet.Infra.Pulumi;

namespace Fleet.Infra.Orchestrators.K3s;

/// <summary>
/// A k3s worker's node, found by its InternalIP, removed by the name recorded when it joined: <c>kubectl drain</c> (agents
/// are DaemonSet pods, so the drain evicts nothing of ours but cordons the node), then <c>kubectl delete node</c>, which
/// also lets a replacement register under the same host name (k3s refuses a second machine under a live node's name).
/// </summary>
public static class K3sMembership
{
    private static readonly string RecordBody = $$"""
        name=''
        i=0
        while [ -z "$name" ] && [ "$i" -lt {{(NodeMembership.JoinWaitSeconds / 5).ToString(CultureInfo.InvariantCulture)}} ]; do
          name=$(k3s kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.addresses[?(@.type=="InternalIP")].address}{"\n"}{end}' | awk -v a="$addr" '$2 == a { print $1; exit }')
          if [ -z "$name" ]; then i=$((i + 1)); sleep 5; fi
        done
        if [ -z "$name" ]; then echo "the worker at $addr did not join the cluster within {{NodeMembership.JoinWaitSeconds / 60}} minutes" >&2; exit 1; fi
        mkdir -p {{NodeMembership.RecordDirectory}}
        printf '%s\n' "$name" > "$rec"
        printf '%s' "$name"
        """;

    private const string ForgetBody = """
        name=$(printenv PULUMI_COMMAND_STDOUT || cat "$rec" 2>/dev/null || true)
        if [ -z "$name" ]; then echo "no k3s node recorded for $addr: nothing to forget" >&2; exit 0; fi
        k3s kubectl drain "$name" --ignore-daemonsets --delete-emptydir-data --force --timeout=120s >/dev/null 2>&1 || true
        k3s kubectl delete node "$name" --ignore-not-found >/dev/null
        rm -f "$rec"
        """;

    public static NodeMembership For(PString privateAddress, PString serverId) =>
        new(NodeMembership.Script(privateAddress, serverId, RecordBody), NodeMembership.Script(privateAddress, serverId, ForgetBody));
}
