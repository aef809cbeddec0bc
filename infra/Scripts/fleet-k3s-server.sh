#!/bin/sh
# Runs once on the manager (cloud-init runcmd): installs the pinned k3s as the server, on the private address, with
# the server and agent tokens the stack generated, secrets encryption and protected kernel defaults.
set -eu
# shellcheck source=/dev/null
. /etc/fleet/fleet.env
# shellcheck source-path=SCRIPTDIR source=fleet-common.sh
. /usr/local/lib/fleet/fleet-common.sh

addr=$(fleet_private_addr "$FLEET_NETWORK_PROBE")
iface=$(fleet_private_iface "$FLEET_NETWORK_PROBE")
if [ -z "$addr" ] || [ -z "$iface" ]; then
  echo "fleet: no address on the private network $FLEET_NETWORK_CIDR" >&2
  exit 1
fi

# --protect-kernel-defaults makes the kubelet refuse to start unless these are already set.
sysctl --system >/dev/null

fleet_retry 10 5 curl -sfL https://get.k3s.io -o /usr/local/lib/fleet/k3s-install.sh
INSTALL_K3S_VERSION="$FLEET_K3S_VERSION" sh /usr/local/lib/fleet/k3s-install.sh server \
  --node-ip "$addr" \
  --advertise-address "$addr" \
  --flannel-iface "$iface" \
  --tls-san "$FLEET_PUBLIC_ADDR" \
  --token-file /etc/fleet/k3s-server-token \
  --agent-token-file /etc/fleet/k3s-agent-token \
  --secrets-encryption \
  --protect-kernel-defaults \
  --disable traefik \
  --disable servicelb \
  --write-kubeconfig-mode 0600 \
  --node-label fleet.role=manager
fleet_retry 60 5 k3s kubectl get --raw /readyz >/dev/null
echo "fleet: k3s server ready on $addr ($iface)"
