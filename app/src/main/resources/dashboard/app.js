// Bulwark dashboard: plain JS over the REST API (/api/...), hash routes, no build step.
// Every value from the API is put into the page with textContent, never as HTML.
"use strict";

const KINDS = ["scan", "bruteforce", "infection", "c2", "ddos", "ddos_target", "anomaly", "ioc", "policy"];
const COLORS = { scan: "#4aa3ff", bruteforce: "#ff8c3a", infection: "#ff4d4f", c2: "#b37feb", ddos: "#f5c542",
  ddos_target: "#5ac18e", anomaly: "#36cfc9", ioc: "#ff85c0", policy: "#a0d911" };
const NEXT_STATES = { new: ["acknowledged", "contained", "resolved"], acknowledged: ["contained", "resolved", "new"],
  contained: ["resolved", "new"], resolved: ["new"] };

const $ = (sel) => document.querySelector(sel);
let chart = null;

function token() { return sessionStorage.getItem("bulwark.token"); }

async function api(path, options = {}) {
  const headers = Object.assign({ "Authorization": "Bearer " + token() }, options.headers || {});
  const res = await fetch(path, Object.assign({}, options, { headers }));
  if (res.status === 401) { sessionStorage.removeItem("bulwark.token"); showLogin("Your token was refused."); throw new Error("401"); }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) { throw new Error(body.error || ("HTTP " + res.status)); }
  return body;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) { if (c != null) e.append(c instanceof Node ? c : document.createTextNode(String(c))); }
  return e;
}

function time(t) { return t ? t.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-"; }
function sev(s) { return el("span", { class: "badge sev-" + String(s).toLowerCase(), text: String(s).toLowerCase() }); }
function stateBadge(s) { return el("span", { class: "badge st", "data-state": s, text: s }); }
function kind(k) { return el("span", { class: "kind", text: k }); }
function incidentLink(i) { return el("a", { href: "#/incidents/" + encodeURIComponent(i.id), "data-incident": i.id, text: i.summary }); }
function deviceLink(ip) { return el("a", { href: "#/devices/" + encodeURIComponent(ip), text: ip }); }

function incidentTable(items) {
  const t = el("table", { class: "incidents" }, el("thead", {}, el("tr", {},
    el("th", { text: "Detected" }), el("th", { text: "Kind" }), el("th", { text: "Host" }),
    el("th", { text: "Severity" }), el("th", { text: "State" }), el("th", { text: "Summary" }))));
  const body = el("tbody");
  for (const i of items) {
    body.append(el("tr", {}, el("td", { text: time(i.detected_at) }), el("td", {}, kind(i.kind)),
      el("td", {}, deviceLink(i.host)), el("td", {}, sev(i.severity)), el("td", {}, stateBadge(i.state || "new")),
      el("td", {}, incidentLink(i))));
  }
  t.append(body);
  if (!items.length) body.append(el("tr", {}, el("td", { colspan: "6", class: "muted", text: "No incidents." })));
  return t;
}

async function overview(view) {
  const o = await api("/api/overview?bucket=hour");
  const stats = el("div", { class: "stats" },
    stat((o.counts || {}).incidents || 0, "incidents"), stat((o.counts || {}).devices || 0, "devices"),
    stat((o.by_state || {}).new || 0, "new"), stat((o.by_state || {}).contained || 0, "contained"));
  for (const k of KINDS) { if ((o.by_kind || {})[k]) stats.append(stat(o.by_kind[k], k)); }
  const canvas = el("canvas", { id: "timeline", height: "110" });
  view.append(el("h1", { text: "Overview" }), stats,
    el("div", { class: "grid2" },
      el("div", { class: "card" }, el("h2", { text: "Incidents over time, by kind" }), canvas),
      el("div", { class: "card" }, el("h2", { text: "By kind" }), kindList(o.by_kind || {}))),
    el("div", { class: "card" }, el("h2", { text: "Newest incidents" }), incidentTable(o.newest || [])));
  drawTimeline(canvas, o.timeline || []);
}

function stat(n, label) { return el("div", { class: "stat" }, el("div", { class: "n", text: Number(n).toLocaleString() }), el("div", { class: "l", text: label })); }

function kindList(byKind) {
  const t = el("table");
  for (const [k, n] of Object.entries(byKind)) {
    if (!n) continue;
    t.append(el("tr", {}, el("td", {}, el("a", { href: "#/incidents?kind=" + encodeURIComponent(k) }, kind(k))), el("td", { text: n })));
  }
  return t;
}

function drawTimeline(canvas, points) {
  if (typeof Chart === "undefined") { canvas.replaceWith(el("p", { class: "muted", text: "Chart library not loaded." })); return; }
  const buckets = [...new Set(points.map(p => p.t))].sort();
  const kinds = [...new Set(points.map(p => p.kind))];
  const datasets = kinds.map(k => ({ label: k, backgroundColor: COLORS[k] || "#888", stack: "s", maxBarThickness: 48,
    data: buckets.map(b => (points.find(p => p.t === b && p.kind === k) || { count: 0 }).count) }));
  if (chart) chart.destroy();
  chart = new Chart(canvas, { type: "bar", data: { labels: buckets.map(time), datasets },
    options: { animation: false, plugins: { legend: { labels: { color: "#d8dee6" } } },
      scales: { x: { stacked: true, ticks: { color: "#8b98a7" }, grid: { color: "#26303b" } },
        y: { stacked: true, ticks: { color: "#8b98a7", precision: 0 }, grid: { color: "#26303b" } } } } });
}

async function incidents(view, params) {
  const q = new URLSearchParams(params);
  const limit = 50, offset = Number(q.get("offset") || 0);
  q.set("limit", limit); q.set("offset", offset);
  const page = await api("/api/incidents?" + q.toString());
  const kindSel = el("select", { id: "f-kind" }, el("option", { value: "", text: "any kind" }), ...KINDS.map(k => el("option", { value: k, text: k })));
  kindSel.value = q.get("kind") || "";
  const stateSel = el("select", { id: "f-state" }, el("option", { value: "", text: "any state" }),
    ...Object.keys(NEXT_STATES).map(s => el("option", { value: s, text: s })));
  stateSel.value = q.get("state") || "";
  const host = el("input", { id: "f-host", placeholder: "host", value: q.get("host") || "" });
  const apply = el("button", { text: "Filter", onclick: () => {
    const n = new URLSearchParams();
    if (kindSel.value) n.set("kind", kindSel.value); if (stateSel.value) n.set("state", stateSel.value);
    if (host.value.trim()) n.set("host", host.value.trim());
    location.hash = "#/incidents?" + n.toString();
  } });
  view.append(el("h1", { text: "Incidents" }), el("div", { class: "card" }, el("div", { class: "filters" }, kindSel, stateSel, host, apply)),
    el("div", { class: "card" }, incidentTable(page.items), pager(page, "#/incidents", q)));
}

function pager(page, base, q) {
  const total = Number(page.total).toLocaleString() + (page.total_exact === false ? "+" : "");
  const p = el("div", { class: "pager muted" }, (page.offset + 1) + "-" + (page.offset + page.items.length) + " of " + total);
  const go = (off) => { const n = new URLSearchParams(q); n.set("offset", off); n.delete("limit"); location.hash = base + "?" + n.toString(); };
  if (page.offset > 0) p.append(el("button", { class: "state", text: "Previous", onclick: () => go(Math.max(0, page.offset - page.limit)) }));
  if (page.offset + page.items.length < page.total) p.append(el("button", { class: "state", text: "Next", onclick: () => go(page.offset + page.limit) }));
  return p;
}

async function incident(view, id) {
  const i = await api("/api/incidents/" + encodeURIComponent(id));
  const actions = el("div", { id: "state-actions" });
  for (const s of NEXT_STATES[i.state || "new"] || []) {
    actions.append(el("button", { class: "state", "data-to": s, text: "Mark " + s, onclick: async () => {
      try {
        await api("/api/incidents/" + encodeURIComponent(id) + "/state", { method: "POST",
          headers: { "Content-Type": "application/json" }, body: JSON.stringify({ state: s, note: "from the dashboard" }) });
        route();
      } catch (e) { actions.append(el("p", { class: "error", text: e.message })); }
    } }));
  }
  actions.append(el("button", { id: "evidence-bundle", text: "Download evidence bundle", onclick: async () => {
    // Analysts only, and only when serve was given --evidence DIR: the API says why otherwise.
    const res = await fetch("/api/incidents/" + encodeURIComponent(id) + "/evidence",
      { headers: { "Authorization": "Bearer " + token() } });
    if (!res.ok) {
      const body = await res.json().catch(() => ({}));
      actions.append(el("p", { class: "error", id: "evidence-error", text: "Evidence bundle: " + (body.error || ("HTTP " + res.status)) }));
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = el("a", { href: url, download: id + ".zip", id: "evidence-download" });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } }));
  const facts = el("dl", {},
    el("dt", { text: "Kind" }), el("dd", {}, kind(i.kind)),
    el("dt", { text: "Host" }), el("dd", {}, deviceLink(i.host), i.mac ? " (" + i.mac + ")" : ""),
    el("dt", { text: "Severity" }), el("dd", {}, sev(i.severity), " confidence " + i.confidence),
    el("dt", { text: "State" }), el("dd", {}, stateBadge(i.state || "new")),
    el("dt", { text: "Detector" }), el("dd", { text: i.detector }),
    el("dt", { text: "Incident id" }), el("dd", {}, el("code", { text: i.id })));
  const timeline = el("ul", { class: "timeline" },
    el("li", {}, time(i.first_seen) + "  first seen"),
    el("li", {}, time(i.detected_at) + "  detected"),
    el("li", {}, time(i.last_seen) + "  last seen"));
  for (const h of i.history || []) {
    timeline.append(el("li", {}, time(h.at) + "  " + (h.from || "new") + " \u2192 " + h.to + " by " + h.by + (h.note ? " (" + h.note + ")" : "")));
  }
  const ev = el("table", {}, el("thead", {}, el("tr", {}, el("th", { text: "Flow uid" }), el("th", { text: "Community ID" }), el("th", { text: "Capture bytes" }))));
  for (const e of i.evidence || []) {
    ev.append(el("tr", {}, el("td", {}, el("code", { text: e.uid })), el("td", {}, el("code", { text: e.community_id || "-" })),
      el("td", { text: e.file ? e.file + " @ " + e.offset + " (" + e.length + " B)" : "-" })));
  }
  view.append(el("h1", { id: "incident-title", text: i.summary }),
    el("div", { class: "grid2" },
      el("div", { class: "card" }, el("h2", { text: "Incident" }), facts, el("h2", { text: "Detail" }),
        el("pre", { text: JSON.stringify(i.detail, null, 2) })),
      el("div", { class: "card" }, el("h2", { text: "Timeline" }), timeline, el("h2", { text: "Actions" }), actions)),
    el("div", { class: "card" }, el("h2", { text: "Evidence" }), ev));
}

async function devices(view, params) {
  const q = new URLSearchParams(params);
  q.set("limit", 50); q.set("offset", Number(q.get("offset") || 0));
  const page = await api("/api/devices?" + q.toString());
  const search = el("input", { id: "d-search", placeholder: "address or MAC", value: q.get("search") || "" });
  const t = el("table", { class: "devices" }, el("thead", {}, el("tr", {}, ...["Address", "MAC", "First seen", "Last seen", "Flows out", "Services", "Incidents"].map(h => el("th", { text: h })))));
  for (const d of page.items) {
    t.append(el("tr", {}, el("td", {}, deviceLink(d.ip)), el("td", { text: d.mac || "-" }), el("td", { text: time(d.first_seen) }),
      el("td", { text: time(d.last_seen) }), el("td", { text: d.flows_originated }), el("td", { text: (d.services || []).join(", ") }),
      el("td", { text: (d.incidents || []).length })));
  }
  view.append(el("h1", { text: "Devices" }),
    el("div", { class: "card" }, el("div", { class: "filters" }, search,
      el("button", { text: "Search", onclick: () => { location.hash = "#/devices?search=" + encodeURIComponent(search.value.trim()); } }))),
    el("div", { class: "card" }, t, pager(page, "#/devices", q)));
}

async function device(view, ip) {
  const d = await api("/api/devices/" + encodeURIComponent(ip));
  const facts = el("dl", {},
    el("dt", { text: "Address" }), el("dd", { text: d.ip }), el("dt", { text: "MAC" }), el("dd", { text: d.mac || "-" }),
    el("dt", { text: "First seen" }), el("dd", { text: time(d.first_seen) }), el("dt", { text: "Last seen" }), el("dd", { text: time(d.last_seen) }),
    el("dt", { text: "Traffic out" }), el("dd", { text: Number(d.packets_out).toLocaleString() + " packets, " + Number(d.bytes_out).toLocaleString() + " bytes" }),
    el("dt", { text: "Traffic in" }), el("dd", { text: Number(d.packets_in).toLocaleString() + " packets, " + Number(d.bytes_in).toLocaleString() + " bytes" }),
    el("dt", { text: "Flows" }), el("dd", { text: d.flows_originated + " originated, " + d.flows_answered + " answered" }),
    el("dt", { text: "Services offered" }), el("dd", { text: (d.services || []).join(", ") || "-" }),
    el("dt", { text: "Posture" }), el("dd", { class: "muted", text: d.posture ? JSON.stringify(d.posture) : "not assessed yet" }));
  view.append(el("h1", { text: "Device " + d.ip }), el("div", { class: "card" }, facts),
    el("div", { class: "card" }, el("h2", { text: "Incidents" }), incidentTable(d.incident_details || [])));
}

function showLogin(message) {
  $("#login").hidden = false; $("#view").replaceChildren(); $("#nav").hidden = true; $("#logout").hidden = true;
  $("#login-error").textContent = message || "";
}

async function route() {
  const view = $("#view");
  if (!token()) { showLogin(); return; }
  $("#login").hidden = true; $("#nav").hidden = false; $("#logout").hidden = false;
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.nav === (parts[0] || "overview"));
  view.replaceChildren();
  try {
    if (parts[0] === "incidents" && parts[1]) await incident(view, parts[1]);
    else if (parts[0] === "incidents") await incidents(view, query || "");
    else if (parts[0] === "devices" && parts[1]) await device(view, parts[1]);
    else if (parts[0] === "devices") await devices(view, query || "");
    else await overview(view);
  } catch (e) {
    if (e.message !== "401") view.replaceChildren(el("div", { class: "card error", text: e.message }));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("#login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem("bulwark.token", $("#token").value.trim());
    try { await api("/api/overview?bucket=hour"); $("#token").value = ""; route(); }
    catch (e) { if (e.message !== "401") showLogin(e.message); }
  });
  $("#logout").addEventListener("click", () => { sessionStorage.removeItem("bulwark.token"); showLogin(); });
  window.addEventListener("hashchange", route);
  route();
});
