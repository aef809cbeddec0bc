#!/bin/sh
# Runs once on a worker (cloud-init runcmd): starts Docker and joins the Swarm as a worker with the
# worker token, on the private address. The token file is removed once the node has joined.
set -eu
# shellcheck source=/dev/null
. /etc/fleet/fleet.env
# shellcheck source-path=SCRIPTDIR source=fleet-common.sh
. /usr/local/lib/fleet/fleet-common.sh

addr=$(fleet_private_addr "$FLEET_MANAGER_ADDR")
if [ -z "$addr" ]; then
  echo "fleet: no route to the manager $FLEET_MANAGER_ADDR on the private network" >&2
  exit 1
fi

# The agent runs as an unprivileged user; it alone may read this node's credential.
chown "$FLEET_AGENT_UID:$FLEET_AGENT_UID" /etc/fleet/node-credential
chmod 0400 /etc/fleet/node-credential

systemctl daemon-reload
systemctl enable docker
systemctl restart docker
fleet_retry 30 2 docker info >/dev/null

state=$(docker info --format '{{.Swarm.LocalNodeState}}')
if [ "$state" != "active" ]; then
  token=$(cat /etc/fleet/swarm-token)
  fleet_retry 60 5 docker swarm join \
    --token "$token" \
    --advertise-addr "$addr" \
    --listen-addr "$addr:2377" \
    --data-path-addr "$addr" \
    "$FLEET_MANAGER_ADDR:2377"
fi
rm -f /etc/fleet/swarm-token
echo "fleet: joined the swarm at $FLEET_MANAGER_ADDR from $addr"
