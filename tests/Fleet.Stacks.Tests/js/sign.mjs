// Signs scale webhooks with the Standard Webhooks reference library and sends them to the control service.
// Prints the statuses and bodies as one JSON object on stdout (read by ReferenceSignerTests).
import { Webhook } from "standardwebhooks";

const url = new URL("v1/scale", process.env.FLEET_SERVICE_URL);
const wh = new Webhook(process.env.FLEET_WEBHOOK_SECRET); // "whsec_..." as users store it
const payload = JSON.stringify({ stack: "prod", pool: "burst", nodes: 3 });

async function send(id, body, signedBody = body, at = new Date()) {
  const signature = wh.sign(id, at, signedBody);
  const seconds = Math.floor(at.getTime() / 1000).toString();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "webhook-id": id, "webhook-timestamp": seconds, "webhook-signature": signature },
    body,
  });
  return { status: response.status, body: await response.json() };
}

const signed = await send("msg_reference_1", payload);
const replayed = await send("msg_reference_1", payload);
const tampered = await send("msg_reference_2", payload.replace("3", "9"), payload);
const stale = await send("msg_reference_3", payload, payload, new Date(Date.now() - 10 * 60 * 1000));
console.log(JSON.stringify({ signed, replayed, tampered, stale }));
