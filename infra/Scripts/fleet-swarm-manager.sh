#!/bin/sh
# Runs once on the manager (cloud-init runcmd): starts Docker with its mTLS API and initialises the Swarm
# on the private address. Values come from /etc/fleet/fleet.env, written by cloud-init.
set -eu
# shellcheck source=/dev/null
. /etc/fleet/fleet.env
# shellcheck source-path=SCRIPTDIR source=fleet-common.sh
. /usr/local/lib/fleet/fleet-common.sh

addr=$(fleet_private_addr "$FLEET_NETWORK_PROBE")
if [ -z "$addr" ]; then
  echo "fleet: no address on the private network $FLEET_NETWORK_CIDR" >&2
  exit 1
fi

systemctl daemon-reload
systemctl enable docker
systemctl restart docker
fleet_retry 30 2 docker info >/dev/null

state=$(docker info --format '{{.Swarm.LocalNodeState}}')
if [ "$state" != "active" ]; then
  docker swarm init \
    --advertise-addr "$addr" \
    --listen-addr "$addr:2377" \
    --data-path-addr "$addr" \
    --default-addr-pool "$FLEET_OVERLAY_POOL"
fi
echo "fleet: swarm manager ready on $addr"
