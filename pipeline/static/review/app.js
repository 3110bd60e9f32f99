// terreur review: one document at a time, keyboard first. No build step, no dependencies.
// Spans are token ranges (token_start..token_end, inclusive); the server recomputes
// offsets and text and appends every change to the output file.
"use strict";

(() => {
  const $ = (sel) => document.querySelector(sel);
  const LINK_FIELDS = ["kb_id", "canonical", "cyrillic", "kb_type", "candidates", "confidence"];
  const S = {
    config: null,
    doc: null, // the server's payload for the current document
    spans: [], // working spans, sorted
    focusKey: null, // identifies the focused span or ghost across re-renders
    mode: "normal", // normal | select | link | help
    sel: null, // {anchor, head} token indices while selecting
    dragging: false,
    lastLabel: null,
    link: { results: [], pick: 0, timer: null, seq: 0 },
  };
  let chain = Promise.resolve(); // requests run one after another, in key order
  let pending = 0;

  // --- helpers -------------------------------------------------------------

  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const isWord = (i) => { const t = S.doc.task.tokens[i]; return t && t.text.trim() !== ""; };
  const spanText = (s) => {
    const toks = S.doc.task.tokens;
    return S.doc.task.text.slice(toks[s.token_start].start, toks[s.token_end].end);
  };
  const keyOf = (s, kind = "span", side = "") => `${kind}:${side}:${s.token_start}:${s.token_end}:${s.label}`;
  const same = (a, b) => a.token_start === b.token_start && a.token_end === b.token_end && a.label === b.label;
  const overlaps = (a, b) => a.token_start <= b.token_end && b.token_start <= a.token_end;
  const byStart = (a, b) => a.token_start - b.token_start;
  const color = (label) => (S.config.colors || {})[label] || "#ddd";

  function toast(message, isError = false) {
    const el = $("#toast");
    el.textContent = message;
    el.className = isError ? "error" : "";
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { el.textContent = ""; }, isError ? 6000 : 2500);
  }

  async function api(path, body) {
    const opts = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    const res = await fetch(path, opts);
    const data = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
    if (!res.ok) throw new Error(data.error || `HTTP ${res.status}`);
    return data;
  }

  function enqueue(job) {
    pending += 1;
    chain = chain.then(job).catch(async (err) => {
      toast(`Not saved: ${err.message}`, true);
      try { if (S.doc) await loadDoc(S.doc.index, false); } catch (_) { /* the toast says it */ } // back in step with the file
    }).finally(() => { pending -= 1; showSaved(); });
    showSaved();
    return chain;
  }

  function showSaved() {
    $("#saved").textContent = pending ? "saving…" : S.doc ? `saved to ${S.config.output}` : "";
  }

  // --- focusables: working spans and (compare mode) the spans only A or B has ---

  function ghosts() {
    const cmp = S.doc && S.doc.compare;
    if (!cmp) return [];
    const out = [];
    const add = (spans, side) => {
      for (const s of spans || []) {
        if (S.spans.some((w) => same(w, s))) continue;
        const twin = out.find((g) => same(g.span, s));
        if (twin) twin.side = "ab";
        else out.push({ kind: "ghost", side, span: s });
      }
    };
    add(cmp.a, "a");
    add(cmp.b, "b");
    return out;
  }

  function focusables() {
    const items = S.spans.map((s, i) => ({ kind: "span", i, span: s, side: "" }));
    const all = items.concat(ghosts());
    all.sort((x, y) => byStart(x.span, y.span) || (x.kind === "span" ? -1 : 1));
    return all;
  }

  const itemKey = (item) => keyOf(item.span, item.kind, item.kind === "ghost" ? item.side : "");

  function focused() {
    if (!S.focusKey) return null;
    return focusables().find((item) => itemKey(item) === S.focusKey) || null;
  }

  function moveFocus(delta) {
    const items = focusables();
    if (!items.length) return;
    const at = items.findIndex((item) => itemKey(item) === S.focusKey);
    let next;
    if (at < 0) next = delta > 0 ? 0 : items.length - 1;
    else next = Math.min(items.length - 1, Math.max(0, at + delta));
    S.focusKey = itemKey(items[next]);
    render();
  }

  // --- loading -------------------------------------------------------------

  async function start() {
    S.config = await api("/api/config");
    $("#source").textContent = S.config.source;
    document.title = `terreur review: ${S.config.source}`;
    buildLabels();
    if (S.config.mode === "compare") showAgreement();
    const next = S.config.progress.next;
    await loadDoc(next === null ? 0 : next, true);
    if (next === null) toast(`All ${S.config.progress.total} documents are reviewed.`);
  }

  async function loadDoc(index, resetFocus = true) {
    const doc = await api(`/api/doc?index=${index}`);
    setDoc(doc, resetFocus);
  }

  function setDoc(doc, resetFocus) {
    const changed = !S.doc || S.doc.index !== doc.index;
    S.doc = doc;
    S.spans = doc.task.spans.map((s) => ({ ...s })).sort(byStart);
    if (changed || resetFocus) {
      S.focusKey = null;
      S.mode = S.mode === "help" ? "help" : "normal";
      S.sel = null;
      const first = focusables()[0];
      if (first) S.focusKey = itemKey(first);
      window.scrollTo(0, 0);
    }
    render();
  }

  // --- saving --------------------------------------------------------------

  function save(action, { answer = null, spans = null } = {}) {
    const index = S.doc.index;
    const body = { index, spans: (spans || S.spans).map(stripForSave), action };
    if (answer) body.answer = answer;
    return enqueue(async () => {
      const doc = await api("/api/decide", body);
      if (pending === 1 && S.doc.index === doc.index) {
        S.doc = doc;
        S.spans = doc.task.spans.map((s) => ({ ...s })).sort(byStart);
        render();
      } else if (S.doc.index !== doc.index) {
        updateProgress(doc.progress);
      }
      return doc;
    });
  }

  function stripForSave(s) {
    const out = { ...s };
    delete out.start; delete out.end; delete out.text; // the server recomputes them from the tokens
    return out;
  }

  function edit(action, newSpans, newFocus) {
    S.spans = newSpans.sort(byStart);
    if (newFocus !== undefined) S.focusKey = newFocus ? keyOf(newFocus) : null;
    render();
    save(action);
  }

  function answerDoc(answer) {
    S.doc.status = "done";
    S.doc.answer = answer;
    const index = S.doc.index;
    save(answer, { answer });
    enqueue(async () => {
      // the next document not yet answered after this one, else the first anywhere
      const res = await api(`/api/next?after=${index}`);
      updateProgress(res.progress);
      if (res.next !== null) await loadDoc(res.next, true);
      else { await loadDoc(index, false); toast(`Done: all ${res.progress.total} documents are reviewed.`); }
    });
  }

  function goTo(index) {
    if (!S.doc) return;
    const total = S.config.progress.total;
    if (index < 0 || index >= total) return;
    enqueue(() => loadDoc(index, true));
  }

  function undo() {
    enqueue(async () => {
      const res = await api("/api/undo", {});
      updateProgress(res.progress);
      if (!res.undone) { toast("Nothing to undo."); return; }
      const moved = res.doc.index !== S.doc.index;
      setDoc(res.doc, moved);
      toast(moved ? `Undone in document ${res.doc.index + 1}.` : "Undone.");
    });
  }

  // --- span operations -----------------------------------------------------

  function acceptFocused() {
    const item = focused();
    if (!item) { moveFocus(1); return; }
    if (item.kind === "ghost") return takeGhost(item);
    const spans = S.spans.map((s) => (s === item.span ? { ...s, _reviewed: true } : s));
    const nextItem = focusables()[focusables().findIndex((x) => itemKey(x) === S.focusKey) + 1];
    edit("accept-span", spans, null);
    S.focusKey = nextItem ? itemKey(nextItem) : keyOf(item.span);
    render();
  }

  function takeGhost(item) {
    const span = { ...item.span, _reviewed: true };
    const spans = S.spans.filter((s) => !overlaps(s, span)).concat([span]);
    edit(`take-${item.side}`, spans, span);
  }

  function takeAll(side) {
    const cmp = S.doc.compare;
    if (!cmp) return;
    const source = side === "a" ? cmp.a : cmp.b;
    if (!source) { toast(`${sideName(side)} does not have this document.`, true); return; }
    edit(`take-all-${side}`, source.map((s) => ({ ...s, _reviewed: true })), null);
    const first = focusables()[0];
    S.focusKey = first ? itemKey(first) : null;
    render();
  }

  function relabel(label) {
    const item = focused();
    if (!item) { toast("Focus a span first (← →), or press n for a new one."); return; }
    if (item.kind === "ghost") { takeGhost({ ...item, span: { ...item.span, label } }); return; }
    const old = item.span;
    const span = { ...old, label, _reviewed: true };
    if (label !== old.label) for (const f of LINK_FIELDS) delete span[f]; // a link is for the old type
    S.lastLabel = label;
    edit("relabel", S.spans.map((s) => (s === old ? span : s)), span);
  }

  function step(i, delta) {
    const n = S.doc.task.tokens.length;
    let j = i + delta;
    while (j >= 0 && j < n && !isWord(j)) j += delta;
    return j >= 0 && j < n ? j : null;
  }

  function moveEdge(edge, delta) {
    const item = focused();
    if (!item || item.kind !== "span") return;
    const old = item.span;
    const span = { ...old, _reviewed: true };
    const j = step(edge === "start" ? old.token_start : old.token_end, delta);
    if (j === null) return;
    if (edge === "start") span.token_start = j; else span.token_end = j;
    if (span.token_start > span.token_end) return;
    if (S.spans.some((s) => s !== old && overlaps(s, span))) { toast("That would overlap the next span."); return; }
    edit(edge === "start" ? "move-start" : "move-end", S.spans.map((s) => (s === old ? span : s)), span);
  }

  function deleteFocused() {
    const item = focused();
    if (!item || item.kind !== "span") return;
    const items = focusables();
    const at = items.findIndex((x) => itemKey(x) === S.focusKey);
    const after = items[at + 1] || items[at - 1];
    edit("delete", S.spans.filter((s) => s !== item.span), null);
    S.focusKey = after && after.span !== item.span ? itemKey(after) : null;
    if (S.focusKey && !focused()) { const first = focusables()[Math.min(at, focusables().length - 1)]; S.focusKey = first ? itemKey(first) : null; }
    render();
  }

  function addSpan(label) {
    let a = Math.min(S.sel.anchor, S.sel.head);
    let b = Math.max(S.sel.anchor, S.sel.head);
    while (a <= b && !isWord(a)) a++;
    while (b >= a && !isWord(b)) b--;
    S.mode = "normal";
    S.sel = null;
    if (a > b) { render(); return; }
    const span = { token_start: a, token_end: b, label, _reviewed: true };
    S.lastLabel = label;
    edit("add", S.spans.filter((s) => !overlaps(s, span)).concat([span]), span);
  }

  function startSelect() {
    const item = focused();
    let i = item ? step(item.span.token_end, 1) : step(-1, 1);
    if (i === null) i = step(-1, 1);
    if (i === null) return;
    S.mode = "select";
    S.sel = { anchor: i, head: i };
    render();
  }

  function moveCursor(delta, extend) {
    let j = S.sel.head;
    for (let k = 0; k < Math.abs(delta); k++) {
      const next = step(j, Math.sign(delta));
      if (next === null) break;
      j = next;
    }
    S.sel.head = j;
    if (!extend) S.sel.anchor = j;
    render();
  }

  // --- linking to the knowledge base ----------------------------------------

  function openLink() {
    const item = focused();
    if (!item || item.kind !== "span") { toast("Focus a span to link it."); return; }
    S.mode = "link";
    $("#link").hidden = false;
    const q = $("#link-q");
    q.value = spanText(item.span);
    q.focus();
    q.select();
    searchKb();
  }

  function closeLink() {
    S.mode = "normal";
    $("#link").hidden = true;
    $("#link-q").blur();
    render();
  }

  async function searchKb() {
    const item = focused();
    const seq = ++S.link.seq;
    const q = $("#link-q").value;
    const res = await api(`/api/kb?q=${encodeURIComponent(q)}&label=${encodeURIComponent(item ? item.span.label : "")}`).catch(() => ({ results: [] }));
    if (seq !== S.link.seq) return; // a newer search is under way
    S.link.results = res.results;
    if (item && item.span.kb_id) S.link.results = S.link.results.concat([{ kb_id: null, canonical: "Remove the link", unlink: true }]);
    S.link.pick = 0;
    renderLinkResults();
  }

  function renderLinkResults() {
    const ul = $("#link-results");
    if (!S.link.results.length) {
      ul.innerHTML = S.config.kb_size
        ? '<li class="empty">No match. Try another spelling.</li>'
        : '<li class="empty">The knowledge base is empty (no pipeline/data/kb/*.jsonl yet).</li>';
      return;
    }
    ul.innerHTML = S.link.results.map((r, i) => `
      <li role="option" data-i="${i}" class="${i === S.link.pick ? "pick" : ""}${r.unlink ? " unlink" : ""}" aria-selected="${i === S.link.pick}">
        <b>${esc(r.canonical || r.kb_id)}</b>${r.cyrillic ? ` <span class="cyr">${esc(r.cyrillic)}</span>` : ""}
        ${r.unlink ? "" : `<span class="muted"> · ${esc(r.type || "")} · ${esc(r.kb_id)}</span>`}
        ${r.aliases && r.aliases.length ? `<div class="aliases muted">${r.aliases.map(esc).join(", ")}</div>` : ""}
      </li>`).join("");
    const picked = ul.querySelector(".pick");
    if (picked) picked.scrollIntoView({ block: "nearest" });
  }

  function chooseLink(i) {
    const r = S.link.results[i];
    const item = focused();
    closeLink();
    if (!r || !item || item.kind !== "span") return;
    const span = { ...item.span, _reviewed: true };
    for (const f of LINK_FIELDS) delete span[f];
    if (!r.unlink) {
      Object.assign(span, { kb_id: r.kb_id, canonical: r.canonical, kb_type: r.type, confidence: 1.0 });
      if (r.cyrillic) span.cyrillic = r.cyrillic;
    } else {
      span.kb_id = null;
    }
    edit(r.unlink ? "unlink" : "link", S.spans.map((s) => (s === item.span ? span : s)), span);
  }

  // --- rendering -----------------------------------------------------------

  function labelStyles() {
    // Colours come from the server; CSSOM rules are allowed where inline style attributes are not (CSP).
    const sheet = document.querySelector('link[rel="stylesheet"]').sheet;
    const add = (rule) => sheet.insertRule(rule, sheet.cssRules.length);
    add('[data-ga=""] { --ga: #6e7781 }');
    add('[data-gb=""] { --gb: #6e7781 }');
    for (const label of S.config.labels) {
      const v = JSON.stringify(label);
      add(`[data-c=${v}] { --c: ${color(label)} }`);
      add(`[data-ga=${v}] { --ga: ${color(label)} }`);
      add(`[data-gb=${v}] { --gb: ${color(label)} }`);
    }
  }

  function buildLabels() {
    labelStyles();
    $("#labels").innerHTML = S.config.labels.map((label, i) =>
      `<button type="button" class="label-btn" data-label="${esc(label)}" data-c="${esc(label)}" title="${esc(label)} (${i + 1})"><kbd>${i + 1}</kbd> ${esc(label)}</button>`).join("");
  }

  function sideName(side) {
    const names = S.config.side_names || ["A", "B"];
    return side === "a" ? `A (${names[0]})` : side === "b" ? `B (${names[1]})` : "A and B";
  }

  function tip(s) {
    const parts = [s.label];
    if (s.canonical) parts.push(s.canonical);
    if (s.cyrillic) parts.push(s.cyrillic);
    if (s.edtf) parts.push(`EDTF ${s.edtf}`);
    if (s.kb_id) parts.push(s.kb_id);
    else if (s.candidates && s.candidates.length) parts.push(`candidates: ${s.candidates.join(", ")}`);
    return parts.join(" · ");
  }

  function render() {
    if (!S.doc) return;
    const { tokens } = S.doc.task;
    const n = tokens.length;
    const owner = new Array(n).fill(-1);
    S.spans.forEach((s, k) => { for (let i = s.token_start; i <= s.token_end; i++) owner[i] = k; });
    const ghostOf = { a: new Array(n).fill(null), b: new Array(n).fill(null) };
    const ghostStarts = {};
    for (const g of ghosts()) {
      for (const side of g.side === "ab" ? ["a", "b"] : [g.side]) {
        for (let i = g.span.token_start; i <= g.span.token_end; i++) ghostOf[side][i] = g;
      }
      (ghostStarts[g.span.token_start] = ghostStarts[g.span.token_start] || []).push(g);
    }
    const cur = focused();
    const selLo = S.sel ? Math.min(S.sel.anchor, S.sel.head) : -1;
    const selHi = S.sel ? Math.max(S.sel.anchor, S.sel.head) : -2;
    const html = [];
    for (let i = 0; i < n; i++) {
      const t = tokens[i];
      const k = owner[i];
      const span = k >= 0 ? S.spans[k] : null;
      if (span && i === span.token_start) {
        const isFocus = cur && cur.kind === "span" && cur.span === span;
        html.push(`<mark class="ent${span._reviewed ? " reviewed" : ""}${isFocus ? " focus" : ""}${span.kb_id ? " linked" : ""}" data-span="${k}" data-tip="${esc(tip(span))}" data-c="${esc(span.label)}">`);
      }
      for (const g of ghostStarts[i] || []) {
        html.push(`<span class="gtag g${g.side}" data-key="${esc(itemKey(g))}" data-c="${esc(g.span.label)}">${g.side === "ab" ? "A+B" : g.side.toUpperCase()} ${esc(g.span.label)}</span>`);
      }
      const cls = ["t"];
      const attrs = [];
      for (const side of ["a", "b"]) {
        const g = ghostOf[side][i];
        if (g) {
          cls.push(`g${side}`);
          attrs.push(` data-g${side}="${esc(g.span.label)}"`);
          if (cur && cur.kind === "ghost" && itemKey(cur) === itemKey(g)) cls.push("gfocus");
        }
      }
      if (i >= selLo && i <= selHi) cls.push("sel");
      if (S.sel && i === S.sel.head) cls.push("cursor");
      html.push(`<span class="${cls.join(" ")}" data-i="${i}"${attrs.join("")}>${esc(t.text)}</span>`);
      const ws = t.ws ? " " : "";
      if (span && i === span.token_end) {
        html.push(`<span class="lbl">${esc(span.label)}${span._reviewed ? " ✓" : ""}</span></mark>${ws}`);
      } else {
        html.push(ws);
      }
    }
    $("#text").innerHTML = html.join("");
    renderHead();
    renderSpanInfo(cur);
    const focusEl = $("#text .focus") || $("#text .gfocus") || $("#text .cursor");
    if (focusEl) focusEl.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  function renderHead() {
    const { index, status, answer } = S.doc;
    const total = S.config.progress.total;
    const meta = S.doc.task.meta || {};
    $("#doc-pos").textContent = `Document ${index + 1} of ${total}`;
    $("#doc-id").textContent = meta.id || meta.source || "";
    const badge = $("#doc-status");
    const text = status === "done" ? { accept: "accepted", reject: "rejected", ignore: "ignored" }[answer] || answer : status === "draft" ? "edited, not answered" : "not reviewed";
    badge.textContent = text;
    badge.className = `badge ${status === "done" ? answer : status}`;
    $("#mode-hint").textContent = S.mode === "select" ? "new span: arrows move, Shift+arrows extend, 1–5 or Enter to label, Esc to cancel" : "";
    document.body.classList.toggle("selecting", S.mode === "select");
    updateProgress(S.doc.progress);
  }

  function updateProgress(progress) {
    if (!progress) return;
    S.config.progress = progress;
    $("#progress-text").textContent = `${progress.reviewed} of ${progress.total} reviewed`;
    $("#meter-fill").style.width = `${progress.total ? (100 * progress.reviewed) / progress.total : 0}%`;
  }

  function renderSpanInfo(item) {
    const box = $("#span-info");
    if (!item) {
      const count = S.spans.length;
      const left = S.spans.filter((s) => !s._reviewed).length;
      box.innerHTML = `<h3>${count} span${count === 1 ? "" : "s"}</h3><p class="muted">${left} not yet accepted. Press <kbd>→</kbd> to focus one, <kbd>n</kbd> to add one.</p>`;
      return;
    }
    const s = item.span;
    const rows = [];
    const row = (name, value, cls = "") => { if (value !== undefined && value !== null && value !== "") rows.push(`<dt>${name}</dt><dd class="${cls}">${esc(value)}</dd>`); };
    row("text", spanText(s));
    row("canonical", s.canonical);
    row("Cyrillic", s.cyrillic, "cyr");
    row("kb_id", s.kb_id);
    row("EDTF", s.edtf);
    if (typeof s.confidence === "number") row("confidence", s.confidence.toFixed(2));
    if (s.candidates && s.candidates.length) row("candidates", s.candidates.join(", "));
    const where = item.kind === "ghost" ? `<p class="ghost-note">Only ${esc(sideName(item.side))} has this span. <kbd>space</kbd> takes it.</p>` : `<p class="muted">${s._reviewed ? "accepted ✓" : "not yet accepted: <kbd>space</kbd>"}</p>`;
    box.innerHTML = `<h3><span class="chip" data-c="${esc(s.label)}">${esc(s.label)}</span></h3>${where}<dl>${rows.join("")}</dl>`;
    if (S.doc.compare) renderCompareDoc();
  }

  function renderCompareDoc() {
    const el = $("#compare-doc");
    if (!el) return;
    const count = ghosts().length;
    const cmp = S.doc.compare;
    const missing = !cmp.a ? "Only B has this document. " : !cmp.b ? "Only A has this document. " : "";
    el.innerHTML = `${missing}${count} span${count === 1 ? "" : "s"} not taken from A or B here. <kbd>Shift</kbd>+<kbd>A</kbd> / <kbd>Shift</kbd>+<kbd>B</kbd> take one side whole.`;
  }

  function showAgreement() {
    const box = $("#compare-info");
    const [nameA, nameB] = S.config.side_names;
    const rows = Object.entries(S.config.agreement).map(([label, s]) =>
      `<tr><td><span class="chip" data-c="${esc(label)}">${esc(label)}</span></td><td>${s.f.toFixed(2)}</td><td>${s.p.toFixed(2)}</td><td>${s.r.toFixed(2)}</td><td>${s.tp}/${s.fp}/${s.fn}</td></tr>`);
    const all = S.config.agreement_all;
    rows.push(`<tr class="all"><td>all</td><td>${all.f.toFixed(2)}</td><td>${all.p.toFixed(2)}</td><td>${all.r.toFixed(2)}</td><td>${all.tp}/${all.fp}/${all.fn}</td></tr>`);
    box.innerHTML = `<h3>Agreement</h3><p class="muted">A = ${esc(nameA)} (reference), B = ${esc(nameB)}; exact spans.</p>
      <table class="agree"><tr><th></th><th>F1</th><th>P</th><th>R</th><th>tp/fp/fn</th></tr>${rows.join("")}</table>
      <p class="legend"><span class="t ga" data-ga="">only A</span> <span class="t gb" data-gb="">only B</span></p>
      <p id="compare-doc" class="muted"></p>`;
    box.hidden = false;
  }

  // --- keyboard ------------------------------------------------------------

  function labelForKey(key) {
    const n = Number(key);
    return Number.isInteger(n) && n >= 1 && n <= S.config.labels.length ? S.config.labels[n - 1] : null;
  }

  function onKey(e) {
    if (!S.doc) return;
    if (S.mode === "link") return onLinkKey(e);
    if (S.mode === "help") {
      if (e.key === "Escape" || e.key === "?") { toggleHelp(false); e.preventDefault(); }
      return;
    }
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "z") { e.preventDefault(); undo(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return; // leave the browser's own shortcuts alone
    if (S.mode === "select") return onSelectKey(e);
    const label = labelForKey(e.key);
    let handled = true;
    if (label) relabel(label);
    else switch (e.key) {
      case "ArrowRight": if (e.shiftKey) moveEdge("end", 1); else moveFocus(1); break;
      case "ArrowLeft": if (e.shiftKey) moveEdge("end", -1); else moveFocus(-1); break;
      case "]": moveEdge("start", 1); break;
      case "[": moveEdge("start", -1); break;
      case " ": acceptFocused(); break;
      case "d": case "Backspace": case "Delete": deleteFocused(); break;
      case "n": startSelect(); break;
      case "k": openLink(); break;
      case "a": answerDoc("accept"); break;
      case "x": answerDoc("reject"); break;
      case "i": answerDoc("ignore"); break;
      case "A": takeAll("a"); break;
      case "B": takeAll("b"); break;
      case "u": undo(); break;
      case "g": { const next = S.config.progress.next; if (next !== null && next !== undefined) goTo(next); else toast("All documents are reviewed."); break; }
      case "PageDown": goTo(S.doc.index + 1); break;
      case "PageUp": goTo(S.doc.index - 1); break;
      case "?": toggleHelp(true); break;
      case "Escape": S.focusKey = null; render(); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  }

  function onSelectKey(e) {
    const label = labelForKey(e.key);
    let handled = true;
    if (label) addSpan(label);
    else switch (e.key) {
      case "ArrowRight": moveCursor(1, e.shiftKey); break;
      case "ArrowLeft": moveCursor(-1, e.shiftKey); break;
      case "ArrowDown": moveCursor(8, e.shiftKey); break;
      case "ArrowUp": moveCursor(-8, e.shiftKey); break;
      case "Enter": addSpan(S.lastLabel || S.config.labels[0]); break;
      case "Escape": case "Backspace": case "n": S.mode = "normal"; S.sel = null; render(); break;
      case "?": toggleHelp(true); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  }

  function onLinkKey(e) {
    const results = S.link.results;
    if (e.key === "Escape") { e.preventDefault(); closeLink(); }
    else if (e.key === "ArrowDown") { e.preventDefault(); S.link.pick = Math.min(results.length - 1, S.link.pick + 1); renderLinkResults(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); S.link.pick = Math.max(0, S.link.pick - 1); renderLinkResults(); }
    else if (e.key === "Enter") { e.preventDefault(); if (results.length) chooseLink(S.link.pick); }
  }

  function toggleHelp(show) {
    $("#help").hidden = !show;
    S.mode = show ? "help" : S.sel ? "select" : "normal";
  }

  // --- mouse ---------------------------------------------------------------

  function tokenIndex(target) {
    const el = target.closest && target.closest(".t");
    return el ? Number(el.dataset.i) : null;
  }

  function onMouseDown(e) {
    if (e.button !== 0 || S.mode === "link" || S.mode === "help") return;
    const i = tokenIndex(e.target);
    if (i === null) return;
    e.preventDefault();
    S.dragging = true;
    S.mode = "select";
    S.sel = { anchor: i, head: i, start: i };
    render();
  }

  function onMouseOver(e) {
    if (!S.dragging) return;
    const i = tokenIndex(e.target);
    if (i === null || i === S.sel.head) return;
    S.sel.head = i;
    render();
  }

  function onMouseUp(e) {
    if (!S.dragging) return;
    S.dragging = false;
    if (S.sel.anchor !== S.sel.head) { render(); return; }
    // a click, not a drag: focus what is under it
    const i = S.sel.anchor;
    const hit = focusables().find((item) => item.span.token_start <= i && i <= item.span.token_end && item.kind === "span")
      || focusables().find((item) => item.span.token_start <= i && i <= item.span.token_end);
    if (hit) {
      S.mode = "normal";
      S.sel = null;
      S.focusKey = itemKey(hit);
      if (hit.kind === "ghost") takeGhost(hit); // compare mode: one click takes a side
      else render();
    } else {
      render(); // one word selected: a label key or button makes it a span
    }
  }

  function onClick(e) {
    const tag = e.target.closest(".gtag");
    if (tag) {
      const hit = ghosts().find((g) => itemKey(g) === tag.dataset.key);
      if (hit) takeGhost(hit);
      return;
    }
    const btn = e.target.closest("button");
    if (!btn) return;
    if (btn.dataset.label) {
      if (S.mode === "select") addSpan(btn.dataset.label); else relabel(btn.dataset.label);
    } else if (btn.dataset.act) {
      const act = btn.dataset.act;
      if (act === "accept" || act === "reject" || act === "ignore") answerDoc(act);
      else if (act === "undo") undo();
      else if (act === "next") goTo(S.doc.index + 1);
      else if (act === "prev") goTo(S.doc.index - 1);
    } else if (btn.id === "help-btn") toggleHelp(true);
    btn.blur(); // keys go back to the document, not the button
  }

  // --- wiring --------------------------------------------------------------

  document.addEventListener("keydown", onKey);
  document.addEventListener("click", onClick);
  document.addEventListener("mouseup", onMouseUp);
  $("#text").addEventListener("mousedown", onMouseDown);
  $("#text").addEventListener("mouseover", onMouseOver);
  $("#link-q").addEventListener("input", () => { clearTimeout(S.link.timer); S.link.timer = setTimeout(searchKb, 120); });
  $("#link-results").addEventListener("click", (e) => { const li = e.target.closest("li[data-i]"); if (li) chooseLink(Number(li.dataset.i)); });
  $("#link").addEventListener("click", (e) => { if (e.target.id === "link") closeLink(); });
  $("#help").addEventListener("click", (e) => { if (e.target.id === "help") toggleHelp(false); });
  window.addEventListener("beforeunload", (e) => { if (pending) { e.preventDefault(); e.returnValue = ""; } });
  start().catch((err) => toast(`Could not load: ${err.message}`, true));
})();
