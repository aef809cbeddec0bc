#!/usr/bin/env bash
# Signs a scale request the Standard Webhooks way and POSTs it to the control service.
#
#   FLEET_WEBHOOK_SECRET=whsec_... stacks/scripts/sign-webhook.sh http://localhost:8090 '{"stack":"prod","pool":"burst","nodes":3}'
#
# The signature is HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>", base64, sent as "v1,<signature>".
# A whsec_ secret is base64 after the prefix; any other secret is used as its bytes (as the service does).
# SIGN_ONLY=1 prints the three headers instead of sending; WEBHOOK_ID and WEBHOOK_TIMESTAMP override the defaults.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: FLEET_WEBHOOK_SECRET=whsec_... $0 URL BODY" >&2
  exit 2
fi
url=$1
body=$2
secret=${FLEET_WEBHOOK_SECRET:?set FLEET_WEBHOOK_SECRET to the service secret (whsec_...)}
id=${WEBHOOK_ID:-msg_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')}
timestamp=${WEBHOOK_TIMESTAMP:-$(date +%s)}

if [[ $secret == whsec_* ]]; then
  key=$(printf '%s' "${secret#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
  macopt="hexkey:$key"
else
  macopt="key:$secret"
fi
signature=$(printf '%s.%s.%s' "$id" "$timestamp" "$body" | openssl dgst -sha256 -mac HMAC -macopt "$macopt" -binary | base64 -w0)

if [ "${SIGN_ONLY:-0}" = "1" ]; then
  printf 'webhook-id: %s\nwebhook-timestamp: %s\nwebhook-signature: v1,%s\n' "$id" "$timestamp" "$signature"
  exit 0
fi
exec curl -sS -X POST "${url%/}/v1/scale" \
  -H 'content-type: application/json' \
  -H "webhook-id: $id" \
  -H "webhook-timestamp: $timestamp" \
  -H "webhook-signature: v1,$signature" \
  --data-binary "$body"
