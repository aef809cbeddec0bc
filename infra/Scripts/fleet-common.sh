#!/bin/sh
# Shared helpers for Fleet's bootstrap scripts (sourced, never run alone).

# The address this node uses on the private network: the source address of the route into it.
fleet_private_addr() {
  ip -4 route get "$1" | sed -n 's/.* src \([0-9.]*\).*/\1/p'
}

# Runs a command until it succeeds, at most $1 attempts, $2 seconds apart.
fleet_retry() {
  attempts=$1
  delay=$2
  shift 2
  n=1
  until "$@"; do
    if [ "$n" -ge "$attempts" ]; then
      echo "fleet: giving up after $n attempts: $*" >&2
      return 1
    fi
    n=$((n + 1))
    sleep "$delay"
  done
}

# The interface that carries the private network (flannel must use it, not the public one).
fleet_private_iface() {
  ip -4 route get "$1" | sed -n 's/.* dev \([^ ]*\).*/\1/p'
}
