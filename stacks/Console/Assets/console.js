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
  const autoscaled = [];
  for (const s of state.stacks) {
    const paused = new Set(s.autoscalePaused || []);
    for (const p of (s.view && s.view.pools) || []) {
      const l = load.get(p.pool);
      const autoscale = p.autoscale ? (paused.has(p.pool) ? "paused" : "on") : "off";
      rows.push([
        cell(s.stack), cell(p.pool), cell(yesNo(p.managed)), cell(autoscale),
        cell(p.min, "num"), cell(p.max, "num"), cell(p.desired, "num"), cell(p.configured.length, "num"),
        cell(p.deployed ? p.deployed.length : null, "num"),
        cell(l ? pair(l.readyNodes, l.nodes) : null, "num"), cell(l ? pair(l.slotsBusy, l.slotsTotal) : null, "num"),
        cell(l ? l.queueDepth : null, "num"), cell(l ? Math.round(l.ttftP95Ms) + " ms" : null, "num"),
      ]);
      if (p.managed) choices.push({ stack: s.stack, pool: p.pool, min: p.min, max: p.max, size: p.desired ?? p.configured.length });
      if (p.managed && p.autoscale) autoscaled.push({ stack: s.stack, pool: p.pool, autoscale });
    }
  }
  fill("pools", rows, "No pools.", 13);
  renderChoices("scale-pool", choices, (c) => JSON.stringify([c.stack, c.pool]),
    (c) => c.stack + " / " + c.pool + " (now " + c.size + ", min " + c.min + ", max " + c.max + ")");
  renderChoices("autoscale-pool", autoscaled, (c) => JSON.stringify([c.stack, c.pool]), (c) => c.stack + " / " + c.pool + " (" + c.autoscale + ")");
  const nodes = state.stacks.flatMap((s) => (s.nodes || []).map((n) => ({ stack: s.stack, pool: n.pool, node: n.node })));
  renderChoices("node-choice", nodes, (c) => JSON.stringify([c.stack, c.pool, c.node]), (c) => c.stack + " / " + c.pool + " / " + c.node);
}

// Rebuilds a select's options only when they changed, keeping what the operator chose.
function renderChoices(id, choices, key, label) {
  const select = $(id);
  const current = select.value;
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

// How long ago the node's current registration began (its first heartbeat, or its agent's first after a restart).
function age(now, since) {
  if (!since) return null;
  const s = Math.max(0, Math.floor((Date.parse(now) - Date.parse(since)) / 1000));
  if (s < 60) return s + " s";
  if (s < 3600) return Math.floor(s / 60) + " min";
  if (s < 86400) return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
  return Math.floor(s / 86400) + " d " + Math.floor((s % 86400) / 3600) + " h";
}

function renderNodes(state) {
  const nodes = (state.gateway.nodes && state.gateway.nodes.nodes) || [];
  $("partition").hidden = !(state.gateway.nodes && state.gateway.nodes.partitionGuard);
  fill("nodes", nodes.map((n) => [
    cell(n.node), cell(n.pool), stateCell(n.state), cell(n.model), cell(n.backend), cell(n.version),
    cell(pair(n.slotsBusy, n.slotsTotal), "num"), cell(n.queueDepth, "num"), cell(n.inFlight, "num"),
    cell(Number(n.tokensPerSecond.toFixed(1)), "num"), cell(Math.round(n.ttftP95Ms) + " ms", "num"), cell(gpuMemory(n.gpus)),
    cell(Math.round(n.silenceSeconds) + " s", "num"), cell(yesNo(n.drainRequested)), cell(age(state.at, n.registeredAt), "num"),
  ]), state.gateway.configured ? "The gateway knows no nodes." : "No gateway configured.", 15);
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

const SVG = "http://www.w3.org/2000/svg";
const round = (v) => (v >= 100 ? Math.round(v) : Number(v.toFixed(1)));

// One series as an SVG path (a missing value breaks the line) from the oldest sample of the last hour to now, and its
// summary in words, which names where the chart starts.
function renderSeries(name, unit, points, at, value) {
  const end = Date.parse(at);
  const start = Math.min(end - 1000, Math.max(end - 3600 * 1000, points.length > 0 ? Date.parse(points[0].at) : 0));
  const values = points.map(value).filter((v) => v !== null && v !== undefined);
  const max = Math.max(1, ...values);
  let d = "";
  let pen = false;
  for (const p of points) {
    const v = value(p);
    if (v === null || v === undefined) { pen = false; continue; }
    const x = ((Date.parse(p.at) - start) / (end - start)) * 600;
    const y = 98 - (v / max) * 94;
    d += (pen ? "L" : "M") + x.toFixed(1) + " " + y.toFixed(1);
    pen = true;
  }
  const svg = $(name + "-chart");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  const axis = document.createElementNS(SVG, "line");
  for (const [k, v] of [["x1", 0], ["y1", 99], ["x2", 600], ["y2", 99]]) axis.setAttribute(k, v);
  axis.setAttribute("class", "axis");
  svg.replaceChildren(axis, path);
  const now = points.length > 0 ? value(points[points.length - 1]) : null;
  $(name + "-summary").textContent = values.length === 0
    ? "No samples yet."
    : unit + " since " + new Date(start).toISOString().slice(11, 19) + " UTC: now " + (now === null || now === undefined ? "—" : round(now)) + ", peak " + round(Math.max(...values))
      + ", average " + round(values.reduce((a, b) => a + b, 0) / values.length) + " over " + values.length + " samples.";
}

function renderThroughput(state) {
  const points = (state.throughput && state.throughput.points) || [];
  renderSeries("requests", "Requests/s", points, state.at, (p) => p.requestsPerSecond);
  renderSeries("tokens", "Tokens/s", points, state.at, (p) => p.tokensPerSecond);
}

function render(state) {
  const problems = state.stacks.filter((s) => s.error).map((s) => "stack " + s.stack + ": " + s.error);
  if (state.gateway.error) problems.push(state.gateway.error);
  $("problems").textContent = problems.join("\n");
  $("problems").hidden = problems.length === 0;
  $("read-only").hidden = state.actionsEnabled;
  for (const id of ["token-form", "scale-form", "node-form", "autoscale-form"]) {
    for (const control of $(id).elements) control.disabled = !state.actionsEnabled;
  }
  renderPools(state);
  renderThroughput(state);
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

// POSTs one action with the token and a fresh request id; says what happened in the status line.
async function act(path, body, accepted) {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) { say("Enter the console token first.", true); $("token").focus(); return; }
  say("Sending…");
  try {
    const response = await fetch(path, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Fleet-Console-Token": token, "X-Fleet-Request-Id": crypto.randomUUID() },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) { say("Refused (" + response.status + " " + answer.code + "): " + answer.message, true); return; }
    say("Accepted " + answer.operationId + ": " + accepted(answer) + (answer.duplicate ? " (already pending)" : "") + ". Its progress is in Operations.");
  } catch (e) {
    say("Not sent: " + e.message, true);
  }
}

function scale(event) {
  event.preventDefault();
  const [stack, pool] = JSON.parse($("scale-pool").value || "[]");
  return act("/console/api/scale", { stack, pool, nodes: Number($("scale-nodes").value) }, (a) => a.stack + " / " + a.pool + " to " + a.target
    + (a.clamped ? " (clamped to " + a.min + "–" + a.max + ")" : ""));
}

function nodeAction(event) {
  event.preventDefault();
  const kind = event.submitter && event.submitter.value === "replace" ? "replace" : "drain";
  const [stack, pool, node] = JSON.parse($("node-choice").value || "[]");
  return act("/console/api/" + kind, { stack, pool, node }, (a) => kind + " " + a.node
    + (a.target === null ? "" : ", " + a.stack + " / " + a.pool + " to " + a.target));
}

function autoscaleAction(event) {
  event.preventDefault();
  const paused = !(event.submitter && event.submitter.value === "resume");
  const [stack, pool] = JSON.parse($("autoscale-pool").value || "[]");
  return act("/console/api/autoscale", { stack, pool, paused }, (a) => "autoscaler of " + a.stack + " / " + a.pool + (paused ? " paused" : " resumed"));
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
  $("node-form").addEventListener("submit", nodeAction);
  $("autoscale-form").addEventListener("submit", autoscaleAction);
  poll();
});
