/*
 * app.js - the page of `edict serve`: a form made from the rule set's fact
 * schema (GET /v1/schema), example cases (GET /v1/examples), the decisions
 * (POST /v1/decide) with their explanations and citations folded open on
 * demand, "why not?" for yes/no decisions (POST /v1/whynot), and "what if":
 * the case compared with a baseline, side by side (POST /v1/whatif).
 * Plain JavaScript, no framework, nothing fetched from elsewhere.
 */
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids) if (kid !== null && kid !== undefined) e.append(kid);
  return e;
};

const state = { schema: null, decisions: [], root: null, baseline: null, docs: {}, seq: 0 };

/* ------------------------------------------------------------ the API */

async function api(path, body) {
  const headers = { "Content-Type": "application/json" };
  const token = sessionStorage.getItem("edict-token");
  if (token) headers.Authorization = "Bearer " + token;
  const res = await fetch(path, body === undefined ? { headers } : { method: "POST", headers, body: JSON.stringify(body) });
  if (res.status === 401) {
    const t = prompt("This service needs a token:");
    if (t) { sessionStorage.setItem("edict-token", t.trim()); return api(path, body); }
  }
  const data = await res.json().catch(() => ({ error: { message: "the reply is not JSON (status " + res.status + ")" } }));
  if (!res.ok) throw Object.assign(new Error(data.error ? data.error.message : "status " + res.status), { data });
  return data;
}

function showProblem(err) {
  const p = $("#problem");
  if (!err) { p.hidden = true; p.textContent = ""; return; }
  const path = err.data && err.data.error && err.data.error.path;
  p.textContent = err.message;
  p.hidden = false;
  for (const w of document.querySelectorAll("[data-path].bad")) w.classList.remove("bad");
  if (path) { const w = document.querySelector(`[data-path="${CSS.escape(path)}"]`); if (w) w.classList.add("bad"); }
}

/* ---------------------------------------------------------- the form */

function resolve(s) {
  if (s && s.$ref) {
    const name = decodeURIComponent(s.$ref.replace(/^#\/\$defs\//, ""));
    return Object.assign({}, state.schema.facts.$defs[name], { "x-edict-kind": "record" });
  }
  return s;
}

const label = (path) => path.split(".").pop().replace(/_/g, " ");

/* A widget: {node, get() -> JSON value or undefined (missing), set(value)}. */
function widget(path, schema) {
  const s = resolve(schema);
  const kind = s["x-edict-kind"] || "text";
  if (kind === "record") return recordWidget(path, s);
  if (kind === "list") return listWidget(path, s);
  if (kind === "enum" || kind === "bool") {
    const choices = kind === "bool" ? [["true", "yes"], ["false", "no"]] : s.enum.filter((m) => m !== null).map((m) => [m, m]);
    const sel = el("select", { "data-path": path, "aria-label": path }, el("option", { value: "", text: "(not given)" }),
      ...choices.map(([v, t]) => el("option", { value: v, text: t })));
    return {
      node: sel,
      get: () => sel.value === "" ? undefined : kind === "bool" ? sel.value === "true" : sel.value,
      set: (v) => { sel.value = v === undefined || v === null ? "" : String(v); },
    };
  }
  if (kind === "money") {
    const fixed = s["x-edict-currency"];
    const amount = el("input", { "data-path": path, "aria-label": path, inputmode: "decimal", placeholder: "amount" });
    const cur = fixed ? el("span", { class: "cur", text: fixed }) : el("input", { class: "cur", placeholder: "USD", maxlength: 3, "data-path": path + ":currency" });
    return {
      node: el("div", { class: "money" }, amount, cur),
      get: () => amount.value.trim() === "" ? undefined : amount.value.trim().replace(/,/g, "") + " " + (fixed || cur.value.trim().toUpperCase() || "USD"),
      set: (v) => {
        const m = typeof v === "string" ? v.trim().match(/^(\S+)\s+([A-Za-z]{3})$/) : null;
        amount.value = m ? m[1] : v === undefined || v === null ? "" : String(v);
        if (!fixed) cur.value = m ? m[2] : "";
      },
    };
  }
  if (kind === "percent") {
    const input = el("input", { "data-path": path, "aria-label": path + " (percent)", inputmode: "decimal", placeholder: "12" });
    return {
      node: el("div", { class: "unit" }, input, el("span", { text: "%" })),
      get: () => input.value.trim() === "" ? undefined : input.value.trim().replace(/%$/, "") + "%",
      set: (v) => { input.value = v === undefined || v === null ? "" : String(v).replace(/%$/, ""); },
    };
  }
  const attrs = { "data-path": path, "aria-label": path };
  if (kind === "date") attrs.type = "date";
  else if (kind === "int") { attrs.type = "number"; attrs.step = "1"; }
  else if (s.examples) attrs.placeholder = s.examples[0];
  const input = el("input", attrs);
  return {
    node: input,
    get: () => {
      const t = input.value.trim();
      if (t === "") return undefined;
      return kind === "int" ? Number(t) : t;
    },
    set: (v) => { input.value = v === undefined || v === null ? "" : String(v); },
  };
}

function recordWidget(path, s) {
  const fields = {};
  const box = el("fieldset", { "data-record": path }, el("legend", { text: label(path) }));
  for (const [name, fs] of Object.entries(s.properties || {})) {
    const sub = path + "." + name;
    const w = widget(sub, fs);
    fields[name] = w;
    const tag = fs["x-edict-optional"] ? el("span", { class: "opt", text: " optional" }) : null;
    if ((resolve(fs)["x-edict-kind"] || "") === "record" || fs["x-edict-kind"] === "list")
      box.append(el("div", { class: "field" }, el("label", { text: label(sub) }, tag), w.node));
    else
      box.append(el("div", { class: "field" }, el("label", { text: label(sub) }, tag), w.node));
    if (fs.description) w.node.title = fs.description;
  }
  return {
    node: box,
    get: () => {
      const out = {};
      for (const [k, w] of Object.entries(fields)) { const v = w.get(); if (v !== undefined) out[k] = v; }
      return Object.keys(out).length ? out : undefined;
    },
    set: (v) => { for (const [k, w] of Object.entries(fields)) w.set(v && typeof v === "object" ? v[k] : undefined); },
  };
}

function listWidget(path, s) {
  const items = [];
  const box = el("div", { class: "list", "data-path": path });
  const rows = el("div");
  const add = (value) => {
    const w = widget(path + "[]", s.items);
    const row = el("div", { class: "list-item" }, w.node,
      el("button", { type: "button", title: "remove", onclick: () => { items.splice(items.indexOf(w), 1); row.remove(); changed(); } }, "×"));
    items.push(w);
    rows.append(row);
    if (value !== undefined) w.set(value);
  };
  box.append(rows, el("button", { type: "button", onclick: () => add() }, "add"));
  return {
    node: box,
    get: () => {
      if (!items.length) return box.dataset.given === "yes" ? [] : undefined;
      return items.map((w) => w.get()).filter((v) => v !== undefined);
    },
    set: (v) => {
      items.length = 0;
      rows.textContent = "";
      box.dataset.given = Array.isArray(v) ? "yes" : "";
      if (Array.isArray(v)) v.forEach(add);
    },
  };
}

function buildForm() {
  const form = $("#facts");
  form.textContent = "";
  const roots = {};
  for (const [name, s] of Object.entries(state.schema.facts.properties)) {
    if (name === "as_of" || name === "id") continue;
    const w = widget(name, s);
    roots[name] = w;
    const r = resolve(s);
    form.append((r["x-edict-kind"] || "") === "record" ? w.node
      : el("fieldset", {}, el("legend", { text: label(name) }), w.node));
  }
  state.root = {
    get: () => {
      const out = {};
      for (const [k, w] of Object.entries(roots)) { const v = w.get(); if (v !== undefined) out[k] = v; }
      return out;
    },
    set: (doc) => { for (const [k, w] of Object.entries(roots)) w.set(doc ? doc[k] : undefined); },
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
}

/* ------------------------------------------------------- the results */

const asOf = () => $("#as-of").value || undefined;
const current = () => ({ facts: state.root.get(), as_of: asOf() });

let timer = null;
function changed() {
  clearTimeout(timer);
  timer = setTimeout(refresh, 250);
}

function fmt(v) {
  if (v === null || v === undefined) return "unknown";
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v.length ? v.map(fmt).join(", ") : "none";
  if (typeof v === "object") return Object.entries(v).map(([k, x]) => k + ": " + fmt(x)).join("; ");
  return String(v);
}

function valueClass(v) {
  return v === true ? "value true" : v === false ? "value false" : v === null ? "value unknown" : "value";
}

function cites(node, x) {
  for (const s of x.sources || []) node.append(el("span", { class: "cite", text: "source: " + s }));
  for (const a of x.assumptions || []) node.append(el("span", { class: "cite assumption", text: "assumption: " + a }));
}

/* One decision's explanation, each decision it used folded under it. */
function explanation(x) {
  const box = el("div", { class: "tree" });
  box.append(el("div", {}, el("b", { text: x.decision + " = " + fmt(x.value) })));
  if (x.case) {
    box.append(el("div", { class: "case", text: "by " + x.case.name + " (" + x.case.file + ":" + x.case.line + ")" }));
    cites(box, x.case);
  }
  cites(box, x);
  for (const c of x.conditions || []) box.append(el("div", { text: (c.value === true ? "holds: " : c.value === false ? "fails: " : "") + c.text + (typeof c.value === "boolean" ? "" : " = " + fmt(c.value)) }));
  for (const f of x.facts || []) box.append(el("div", { text: "fact " + f.path + " = " + fmt(f.value) }));
  if ((x.missing || []).length) box.append(el("div", { class: "missing", text: "missing: " + x.missing.join(", ") }));
  for (const u of x.uses || []) {
    const d = el("details", { class: "explain" }, el("summary", { text: "uses " + u.decision + " = " + fmt(u.value) }));
    d.append(explanation(u));
    box.append(d);
  }
  return box;
}

async function explain(name, details) {
  if (details.dataset.loaded) return;
  details.dataset.loaded = "yes";
  try {
    const r = await api("/v1/decide", Object.assign(current(), { queries: [name], explain: true }));
    details.append(explanation(r.explanations[name]));
  } catch (e) { details.append(el("div", { class: "problem", text: e.message })); }
}

async function whyNot(name, li, button) {
  const old = li.querySelector(".answer");
  if (old) { old.remove(); return; }
  button.disabled = true;
  try {
    const r = await api("/v1/whynot", Object.assign(current(), { decision: name }));
    li.append(el("div", { class: "answer", text: r.answer.trim() }));
  } catch (e) { li.append(el("div", { class: "answer problem", text: e.message })); }
  button.disabled = false;
}

/* A decision's entry in edict doc's pages: module/MODULE.html#NAME. */
function docsLink(name) {
  const d = state.decisions.find((x) => x.name === name);
  const mod = d ? d.module : name.split(".")[0];
  if (!state.docs[mod]) return null;
  const bare = name.slice(mod.length + 1);
  return el("a", { href: state.docs[mod] + (state.docs[mod].endsWith(".html") ? "#" + encodeURIComponent(bare) : ""), target: "_blank", text: "rules" });
}

function renderDecisions(r) {
  const ul = $("#decisions");
  ul.textContent = "";
  $("#as-of-shown").textContent = "as of " + r.as_of;
  const types = Object.fromEntries(state.decisions.map((d) => [d.name, d]));
  let module = null;
  for (const [name, v] of Object.entries(r.decisions)) {
    const mod = types[name] ? types[name].module : name.split(".")[0];
    if (mod !== module) { module = mod; ul.append(el("li", { class: "module", text: mod })); }
    const li = el("li", { "data-decision": name });
    const line = el("div", { class: "dline" }, el("span", { class: "dname", text: name }), el("span", { class: valueClass(v), text: fmt(v) }));
    if (r.missing[name] && r.missing[name].length) line.append(el("span", { class: "missing", text: "needs " + r.missing[name].join(", ") }));
    if (types[name] && types[name].kind === "bool") {
      const b = el("button", { type: "button", class: "whynot", text: "why not?", title: v === true ? "what would make it no" : "what would make it yes" });
      b.addEventListener("click", () => whyNot(name, li, b));
      line.append(b);
    }
    const link = docsLink(name);
    if (link) line.append(link);
    li.append(line);
    const d = el("details", { class: "explain" }, el("summary", { text: "how it was decided, and the sources" }));
    d.addEventListener("toggle", () => { if (d.open) explain(name, d); });
    li.append(d);
    ul.append(li);
  }
  for (const [name, msg] of Object.entries(r.errors || {}))
    ul.append(el("li", { "data-decision": name }, el("div", { class: "dline" }, el("span", { class: "dname", text: name }), el("span", { class: "value false", text: "error" })), el("div", { class: "missing", text: msg })));
}

/* Fact paths whose values differ between two documents. */
function factChanges(a, b, path = "", out = []) {
  const keys = new Set([...Object.keys(a || {}), ...Object.keys(b || {})]);
  for (const k of keys) {
    const x = a ? a[k] : undefined, y = b ? b[k] : undefined, p = path ? path + "." + k : k;
    const rec = (v) => v && typeof v === "object" && !Array.isArray(v);
    if (rec(x) || rec(y)) factChanges(rec(x) ? x : {}, rec(y) ? y : {}, p, out);
    else if (JSON.stringify(x) !== JSON.stringify(y)) out.push([p, x, y]);
  }
  return out;
}

async function renderWhatIf() {
  const box = $("#whatif");
  if (!state.baseline) { box.hidden = true; return; }
  const now = current();
  const facts = factChanges(state.baseline.facts, now.facts);
  if (state.baseline.as_of !== now.as_of) facts.push(["as of", state.baseline.as_of, now.as_of]);
  box.hidden = false;
  const fc = $("#fact-changes");
  fc.textContent = "";
  if (!facts.length) fc.append("The case is the baseline; change a field to compare.");
  for (const [p, x, y] of facts) fc.append(el("div", {}, el("code", { text: p }), ": " + fmt(x) + " → " + fmt(y)));
  const body = $("#whatif-table tbody");
  body.textContent = "";
  const r = await api("/v1/whatif", { before: state.baseline, after: now });
  for (const c of r.changes)
    body.append(el("tr", { "data-decision": c.decision }, el("td", { class: "dname", text: c.decision }),
      el("td", { class: valueClass(c.before), text: fmt(c.before) }), el("td", { class: valueClass(c.after), text: fmt(c.after) }),
      el("td", { class: "reasons", text: c.reasons.join("\n") })));
  $("#whatif-none").hidden = r.changes.length > 0;
  $("#whatif-table").hidden = r.changes.length === 0;
}

async function refresh() {
  const seq = ++state.seq;
  try {
    const r = await api("/v1/decide", current());
    if (seq !== state.seq) return;
    showProblem(null);
    renderDecisions(r);
    await renderWhatIf();
  } catch (e) {
    if (seq === state.seq) showProblem(e);
  }
  document.body.dataset.ready = String(seq);
}

/* ------------------------------------------------------------- start */

async function loadExample(url) {
  if (!url) return;
  const doc = await api(url);
  state.root.set(doc);
  $("#as-of").value = doc.as_of || "";
  state.baseline = { facts: state.root.get(), as_of: asOf() };
  await refresh();
}

async function findDocs() {
  try {
    const res = await fetch("/docs/", { method: "HEAD" });
    if (!res.ok) return;
    for (const mod of new Set(state.decisions.map((d) => d.module))) {
      const page = "/docs/module/" + mod + ".html";
      const r = await fetch(page, { method: "HEAD" });
      state.docs[mod] = r.ok ? page : "/docs/";
    }
  } catch (e) { /* no documentation served */ }
}

async function start() {
  try {
    state.schema = await api("/v1/schema");
  } catch (e) { showProblem(e); return; }
  state.decisions = state.schema.decisions;
  $("#ruleset").textContent = state.schema.ruleset.name + "  " + state.schema.ruleset.hash.slice(0, 19) + "…";
  buildForm();
  await findDocs();
  const ex = await api("/v1/examples").catch(() => ({}));
  const sel = $("#example");
  for (const [group, list] of Object.entries(ex)) {
    if (!list.length) continue;
    const og = el("optgroup", { label: group });
    for (const e of list) og.append(el("option", { value: e.url, text: e.title || e.url }));
    sel.append(og);
  }
  sel.addEventListener("change", () => loadExample(sel.value));
  $("#as-of").addEventListener("change", changed);
  $("#baseline").addEventListener("click", () => { state.baseline = current(); refresh(); });
  $("#clear").addEventListener("click", () => { state.root.set({}); state.baseline = null; sel.value = ""; refresh(); });
  await refresh();
}

start();
