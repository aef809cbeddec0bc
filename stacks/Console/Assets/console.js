// The operator console: polls /console/api/state every two seconds and renders it with DOM calls only (textContent,
// never innerHTML: node names come from heartbeats). Actions POST JSON with the console token in a header.
"use strict";

const POLL_MS = 2000;
const TOKEN_KEY = "fleet-console-token";
const STATES = ["ready", "suspect", "dead", "draining", "loading", "accepted", "applying", "succeeded", "failed"];
const $ = (id) => document.getElementById(id);

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "—" : String(text);
  if (className) td.className = className;
  return td;
}

function stateCell(state) {
  return cell(state, "state " + (STATES.includes(state) ? "state-" + state : "state-other"));
}

function fill(tableId, rows, emptyText, columns) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = body.insertRow();
    const td = cell(emptyText, "empty");
    td.colSpan = columns;
    tr.append(td);
    return;
  }
  for (const cells of rows) {
    const tr = body.insertRow();
    tr.append(...cells);
  }
}

const pair = (a, b) => (a === null || a === undefined ? "—" : a) + " / " + (b === null || b === undefined ? "—" : b);
const yesNo = (b) => (b ? "yes" : "no");

function renderPools(state) {
  const load = new Map(((state.gateway.load && state.gateway.load.pools) || []).map((p) => [p.pool, p]));
  const rows = [];
  const choices = [];
  for (const s of state.stacks) {
    for (const p of (s.view && s.view.pools) || []) {
      const l = load.get(p.pool);
      rows.push([
        cell(s.stack), cell(p.pool), cell(yesNo(p.managed)), cell(p.autoscale ? "on" : "off"),
        cell(p.min, "num"), cell(p.max, "num"), cell(p.desired, "num"), cell(p.configured.length, "num"),
        cell(p.deployed ? p.deployed.length : null, "num"),
        cell(l ? pair(l.readyNodes, l.nodes) : null, "num"), cell(l ? pair(l.slotsBusy, l.slotsTotal) : null, "num"),
        cell(l ? l.queueDepth : null, "num"), cell(l ? Math.round(l.ttftP95Ms) + " ms" : null, "num"),
      ]);
      if (p.managed) choices.push({ stack: s.stack, pool: p.pool, min: p.min, max: p.max, size: p.desired ?? p.configured.length });
    }
  }
  fill("pools", rows, "No pools.", 13);
  renderChoices(choices);
}

function renderChoices(choices) {
  const select = $("scale-pool");
  const current = select.value;
  const key = (c) => JSON.stringify([c.stack, c.pool]);
  const label = (c) => c.stack + " / " + c.pool + " (now " + c.size + ", min " + c.min + ", max " + c.max + ")";
  const wanted = JSON.stringify(choices.map((c) => [key(c), label(c)]));
  if (select.dataset.options === wanted) return; // rebuilding would reset what the operator is choosing
  select.dataset.options = wanted;
  select.replaceChildren(...choices.map((c) => {
    const option = document.createElement("option");
    option.value = key(c);
    option.textContent = label(c);
    return option;
  }));
  if (choices.some((c) => key(c) === current)) select.value = current;
}

// GPU memory as the node's last heartbeat reported it, per GPU ("NVIDIA L4: 1.2 / 22.5 GiB"); null (shown "—") without GPUs.
function gpuMemory(gpus) {
  if (!gpus || gpus.length === 0) return null;
  const gib = (mib) => (mib / 1024).toFixed(1);
  return gpus.map((g) => g.name + ": " + gib(g.memoryUsedMiB) + " / " + gib(g.memoryTotalMiB) + " GiB").join(", ");
}

function renderNodes(state) {
  const nodes = (state.gateway.nodes && state.gateway.nodes.nodes) || [];
  $("partition").hidden = !(state.gateway.nodes && state.gateway.nodes.partitionGuard);
  fill("nodes", nodes.map((n) => [
    cell(n.node), cell(n.pool), stateCell(n.state), cell(n.model), cell(n.backend), cell(n.version),
    cell(pair(n.slotsBusy, n.slotsTotal), "num"), cell(n.queueDepth, "num"), cell(n.inFlight, "num"),
    cell(Number(n.tokensPerSecond.toFixed(1)), "num"), cell(Math.round(n.ttftP95Ms) + " ms", "num"), cell(gpuMemory(n.gpus)),
    cell(Math.round(n.silenceSeconds) + " s", "num"), cell(yesNo(n.drainRequested)),
  ]), state.gateway.configured ? "The gateway knows no nodes." : "No gateway configured.", 14);
}

function renderOperations(state) {
  fill("operations", state.operations.map(({ operation: o, run: r }) => {
    const detail = o.error || (r && r.error) || (o.state === "applying" && r && r.progress) || o.reason || (o.node ? "node " + o.node : null);
    return [
      cell(o.createdAt.replace("T", " ").replace(/\.\d+/, "").replace("+00:00", "")), cell(o.id), cell(o.kind), cell(o.source),
      cell(o.stack + " / " + o.pool), cell(o.target === null ? null : pair(o.requested, o.target).replace(" / ", " → ")),
      stateCell(o.state), cell(detail, o.error ? "error" : null),
    ];
  }), "No operations yet.", 8);
}

function render(state) {
  const problems = state.stacks.filter((s) => s.error).map((s) => "stack " + s.stack + ": " + s.error);
  if (state.gateway.error) problems.push(state.gateway.error);
  $("problems").textContent = problems.join("\n");
  $("problems").hidden = problems.length === 0;
  $("read-only").hidden = state.actionsEnabled;
  for (const id of ["token-form", "scale-form"]) {
    for (const control of $(id).elements) control.disabled = !state.actionsEnabled;
  }
  renderPools(state);
  renderNodes(state);
  renderOperations(state);
  $("updated").textContent = "Updated " + new Date(state.at).toISOString().slice(11, 19) + " UTC";
}

async function poll() {
  try {
    const response = await fetch("/console/api/state", { cache: "no-store", headers: { accept: "application/json" } });
    if (!response.ok) throw new Error((await response.json()).message || response.statusText);
    render(await response.json());
  } catch (e) {
    $("updated").textContent = "Not updated: " + e.message + " (retrying)";
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function say(text, isError) {
  const status = $("action-status");
  status.textContent = text;
  status.className = isError ? "error" : "";
}

async function scale(event) {
  event.preventDefault();
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) { say("Enter the console token first.", true); $("token").focus(); return; }
  const [stack, pool] = JSON.parse($("scale-pool").value || "[]");
  const nodes = Number($("scale-nodes").value);
  say("Sending…");
  try {
    const response = await fetch("/console/api/scale", {
      method: "POST",
      headers: { "content-type": "application/json", "X-Fleet-Console-Token": token, "X-Fleet-Request-Id": crypto.randomUUID() },
      body: JSON.stringify({ stack, pool, nodes }),
    });
    const answer = await response.json();
    if (!response.ok) { say("Refused (" + response.status + " " + answer.code + "): " + answer.message, true); return; }
    say("Accepted " + answer.operationId + ": " + answer.stack + " / " + answer.pool + " to " + answer.target
      + (answer.clamped ? " (clamped to " + answer.min + "–" + answer.max + ")" : "") + ". Its progress is in Operations.");
  } catch (e) {
    say("Not sent: " + e.message, true);
  }
}

function useToken(event) {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value);
  $("token").value = "";
  say("Token kept for this tab.");
}

function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
  say("Token forgotten.");
}

document.addEventListener("DOMContentLoaded", () => {
  $("token-form").addEventListener("submit", useToken);
  $("forget").addEventListener("click", forgetToken);
  $("scale-form").addEventListener("submit", scale);
  poll();
});
