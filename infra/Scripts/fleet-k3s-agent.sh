#!/bin/sh
# Runs once on a worker (cloud-init runcmd): installs the pinned k3s agent and joins the server at the manager's
# private address with the agent token (never the server token), labelled with its pool and GPU.
set -eu
# shellcheck source=/dev/null
. /etc/fleet/fleet.env
# shellcheck source-path=SCRIPTDIR source=fleet-common.sh
. /usr/local/lib/fleet/fleet-common.sh

addr=$(fleet_private_addr "$FLEET_MANAGER_ADDR")
iface=$(fleet_private_iface "$FLEET_MANAGER_ADDR")
if [ -z "$addr" ] || [ -z "$iface" ]; then
  echo "fleet: no route to the manager $FLEET_MANAGER_ADDR on the private network" >&2
  exit 1
fi

# The agent runs as an unprivileged user; it alone may read this node's credential.
chown "$FLEET_AGENT_UID:$FLEET_AGENT_UID" /etc/fleet/node-credential
chmod 0400 /etc/fleet/node-credential
sysctl --system >/dev/null

fleet_retry 10 5 curl -sfL https://get.k3s.io -o /usr/local/lib/fleet/k3s-install.sh
INSTALL_K3S_VERSION="$FLEET_K3S_VERSION" K3S_URL="https://$FLEET_MANAGER_ADDR:6443" K3S_TOKEN_FILE=/etc/fleet/k3s-agent-token \
  sh /usr/local/lib/fleet/k3s-install.sh agent \
  --node-ip "$addr" \
  --flannel-iface "$iface" \
  --protect-kernel-defaults \
  --node-label "fleet.pool=$FLEET_POOL" \
  --node-label "fleet.gpu=$FLEET_GPU"
echo "fleet: k3s agent on $addr joined $FLEET_MANAGER_ADDR"
