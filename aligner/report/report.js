// The review report's behaviour. Every text goes into the page through textContent, never as
// HTML; the data comes from a JSON block that the browser does not execute.
"use strict";
(function () {
  const DATA = JSON.parse(document.getElementById("alignment-data").textContent);
  const META = JSON.parse(document.getElementById("report-meta").textContent);
  const SRC = DATA.source.sentences;
  const TGT = DATA.target.sentences;
  const LOW = META.low_confidence;
  // Alignments from before the calibrated confidence existed are coloured by their cosine.
  const CALIBRATED = DATA.links.some((l) => l.confidence !== undefined && l.confidence !== null);
  const HIGH = CALIBRATED ? 0.9 : 0.7;
  const KEY = "aligner-review:" + META.key;
  const RTL = new Set(["ar", "fa", "ur", "he", "ps", "sd", "ug", "yi", "dv", "ckb"]);
  const FLAG_LABELS = {
    "low-confidence": "low confidence", "omission": "omission 1-0", "addition": "addition 0-1",
    "numbers": "numbers differ", "length": "odd length", "untranslated": "untranslated",
    "linked-twice": "linked twice",
  };
  const main = document.getElementById("links");
  const actions = document.getElementById("actions");
  const notice = document.getElementById("notice");
  const filterBox = document.getElementById("filter");
  const searchBox = document.getElementById("search");

  // ---- the links: immutable objects, replaced on every edit -------------------------------
  function makeLink(source, target, score, flags, status, edited, parts, confidence) {
    return Object.freeze({
      source: Object.freeze(source.slice().sort((a, b) => a - b)),
      target: Object.freeze(target.slice().sort((a, b) => a - b)),
      score: score === undefined ? null : score,
      confidence: confidence === undefined ? null : confidence,
      flags: Object.freeze((flags || []).slice()),
      status: status || null, edited: !!edited, parts: parts || null,
    });
  }
  function fromJson(l) {
    return makeLink(l.source, l.target, l.score, l.flags, l.status, l.status === "edited",
      l.parts ? l.parts.map(fromJson) : null, l.confidence);
  }
  function toJson(l, keepParts) {
    const row = { source: l.source.slice(), target: l.target.slice(), score: l.score };
    if (l.confidence !== null) row.confidence = l.confidence;
    if (l.flags.length) row.flags = l.flags.slice();
    if (l.status) row.status = l.status;
    if (keepParts && l.parts) row.parts = l.parts.map((p) => toJson(p, true));
    return row;
  }
  // An edited link: no score nor confidence (nobody measured it); flags it can know without
  // a model.
  function edited(source, target, parts) {
    const flags = !target.length ? ["omission"] : !source.length ? ["addition"] : [];
    return makeLink(source, target, null, flags, "edited", true, parts || null);
  }
  function oneSided(l) { return !l.source.length || !l.target.length; }
  function isLow(l) { return !oneSided(l) && l.score !== null && l.score < LOW; }
  function kind(l) { return l.source.length + "-" + l.target.length; }

  // Every sentence in exactly one link: a saved review that breaks this is not used.
  function isPartition(list) {
    const seen = [new Uint8Array(SRC.length), new Uint8Array(TGT.length)];
    let count = [0, 0];
    for (const l of list) {
      for (const [side, idx] of [[0, l.source], [1, l.target]]) {
        for (const i of idx) {
          if (!Number.isInteger(i) || i < 0 || i >= seen[side].length || seen[side][i]) return false;
          seen[side][i] = 1; count[side] += 1;
        }
      }
    }
    return count[0] === SRC.length && count[1] === TGT.length;
  }

  let links = DATA.links.map(fromJson);
  let history = [];
  let cur = 0;
  const rowOf = new Map();  // link object -> its row element

  // ---- saved work ---------------------------------------------------------------------------
  // Saving 10,000 links takes tens of milliseconds: done once the reviewer pauses, and
  // always before the page goes away.
  let pending = 0;
  function scheduleSave() {
    clearTimeout(pending);
    pending = setTimeout(save, 400);
  }
  window.addEventListener("pagehide", () => { if (pending) save(); });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && pending) save();
  });
  function save() {
    clearTimeout(pending);
    pending = 0;
    try {
      localStorage.setItem(KEY, JSON.stringify({ version: 1, saved: Date.now(),
        links: links.map((l) => toJson(l, true)) }));
    } catch (err) {
      say("Could not save in this browser (" + err.name + "): export to keep your work.");
    }
  }
  function restore() {
    let saved = null;
    try { saved = JSON.parse(localStorage.getItem(KEY) || "null"); } catch (err) { saved = null; }
    if (!saved || !Array.isArray(saved.links)) return;
    try {
      const list = saved.links.map(fromJson);
      if (isPartition(list)) {
        links = list;
        const done = list.filter((l) => l.status).length;
        say("Restored your review from " + new Date(saved.saved).toLocaleString() + " (" +
          done + " links reviewed).");
      }
    } catch (err) { /* an unreadable save is ignored; the file's own links are shown */ }
  }
  function say(text) { notice.textContent = text; }

  // ---- rendering ------------------------------------------------------------------------------
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  // Digit runs (any digits, with their separators), marked when the link's numbers differ.
  const DIGITS = /[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c\u060c\u00a0\u202f ][0-9\u0660-\u0669\u06f0-\u06f9]+)*/g;
  function appendText(parent, text, markNumbers) {
    if (!markNumbers) { parent.appendChild(document.createTextNode(text)); return; }
    let last = 0;
    for (const match of text.matchAll(DIGITS)) {
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(el("mark", null, match[0]));
      last = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function sideCell(indices, sentences, lang, other, markNumbers) {
    const cell = el("div", "side " + (other ? "tgt" : "src"));
    cell.setAttribute("role", "cell");
    cell.lang = lang;
    cell.dir = RTL.has(lang.split("-")[0]) ? "rtl" : "ltr";
    if (!indices.length) {
      const gap = el("p", "gap", other ? "omission (1-0): no translation" : "addition (0-1): no original");
      gap.lang = "en"; gap.dir = "ltr";
      cell.appendChild(gap);
    }
    for (const i of indices) {
      const p = el("p");
      p.appendChild(el("span", "n", String(i + 1)));
      appendText(p, sentences[i].text, markNumbers);
      if (sentences[i].line) p.title = "line " + sentences[i].line;
      cell.appendChild(p);
    }
    return cell;
  }
  // Colour by the calibrated confidence (the chance the link is right, one-sided links
  // included); alignments written before it existed fall back to the cosine.
  function certainty(l) {
    if (CALIBRATED) return l.confidence;
    return oneSided(l) ? null : l.score;
  }
  function confClass(l) {
    const c = certainty(l);
    if (c === null) return "c-none";
    return c >= HIGH ? "c-hi" : c >= LOW ? "c-mid" : "c-lo";
  }
  function makeRow(l) {
    const row = el("div", "link " + confClass(l) + (l.status ? " st-" + l.status : ""));
    row.setAttribute("role", "row");
    row.dataset.kind = kind(l);
    if (l.flags.length) row.dataset.flags = l.flags.join(" ");
    const meta = el("div", "meta");
    meta.setAttribute("role", "cell");
    meta.appendChild(el("span", "kind", kind(l)));
    const score = el("span", "score", l.score === null ? "no score" : l.score.toFixed(2));
    score.title = "cosine similarity of the two sides";
    meta.appendChild(score);
    if (l.confidence !== null) {
      const conf = el("span", "conf", Math.round(l.confidence * 100) + " %");
      conf.title = "confidence: the chance, learnt on gold data, that this link is right";
      meta.appendChild(conf);
    }
    row.appendChild(meta);
    const marks = l.flags.includes("numbers");
    row.appendChild(sideCell(l.source, SRC, DATA.source.lang, false, marks));
    row.appendChild(sideCell(l.target, TGT, DATA.target.lang, true, marks));
    const right = el("div", "flags");
    right.setAttribute("role", "cell");
    if (l.status) right.appendChild(el("span", "status", l.status));
    for (const f of l.flags) right.appendChild(el("span", "flag f-" + f, FLAG_LABELS[f] || f));
    row.appendChild(right);
    row._link = l;
    rowOf.set(l, row);
    return row;
  }
  function firstLine(l) {
    let best = Infinity;
    for (const i of l.source) if (SRC[i].line) best = Math.min(best, SRC[i].line);
    for (const i of l.target) if (TGT[i].line) best = Math.min(best, TGT[i].line);
    return best;
  }
  function skippedGroup(items) {
    const box = el("details", "skipped");
    box.appendChild(el("summary", null, items.length === 1 ? "1 skipped line" :
      items.length + " skipped lines"));
    const list = el("ul");
    for (const s of items) {
      const li = el("li", null, "line " + s.line + " (" + s.reason + "): ");
      li.appendChild(el("span", "text", s.text));
      list.appendChild(li);
    }
    box.appendChild(list);
    return box;
  }
  // Skipped lines (mixed documents) go before the first link that starts after them.
  function renderAll() {
    rowOf.clear();
    const frag = document.createDocumentFragment();
    const skipped = (DATA.skipped || []).slice().sort((a, b) => a.line - b.line);
    let k = 0;
    for (const l of links) {
      const start = firstLine(l);
      const group = [];
      while (k < skipped.length && skipped[k].line < start) group.push(skipped[k++]);
      if (group.length) frag.appendChild(skippedGroup(group));
      frag.appendChild(makeRow(l));
    }
    if (k < skipped.length) frag.appendChild(skippedGroup(skipped.slice(k)));
    main.replaceChildren(frag);
    applyFilter();
    select(Math.min(cur, links.length - 1), false);
    updateStats();
  }
  // Replace links[i .. i+count) by fresh links, touching only their rows.
  function replace(i, count, fresh, focus) {
    history.push(links);
    if (history.length > 200) history.shift();
    const old = links.slice(i, i + count);
    links = links.slice(0, i).concat(fresh, links.slice(i + count));
    const rows = fresh.map(makeRow);
    const anchor = rowOf.get(old[0]);
    for (const r of rows) main.insertBefore(r, anchor);
    for (const l of old) { rowOf.get(l).remove(); rowOf.delete(l); }
    for (const r of rows) r.hidden = !visible(r._link);
    scheduleSave();
    updateStats();
    select(Math.min(focus === undefined ? i : focus, links.length - 1), true);
  }

  // ---- header: counts and histogram -------------------------------------------------------
  function updateStats() {
    const kinds = {}; const flagCounts = {}; const status = { accepted: 0, rejected: 0, edited: 0 };
    let flagged = 0; let low = 0; let sum = 0; let scored = 0;
    const bins = new Array(10).fill(0);
    for (const l of links) {
      const k = kind(l); kinds[k] = (kinds[k] || 0) + 1;
      if (l.flags.length) flagged += 1;
      for (const f of l.flags) flagCounts[f] = (flagCounts[f] || 0) + 1;
      if (isLow(l)) low += 1;
      if (l.status) status[l.status] = (status[l.status] || 0) + 1;
      const c = certainty(l);
      if (c !== null) {
        sum += c; scored += 1;
        bins[Math.min(9, Math.max(0, Math.floor(c * 10)))] += 1;
      }
    }
    const box = document.getElementById("counts");
    box.replaceChildren();
    const line = (parts) => {
      const p = el("p");
      for (const [label, value, id] of parts) {
        if (value === null) { p.appendChild(document.createTextNode(label)); continue; }
        const b = el("b", null, String(value));
        if (id) b.id = id;
        p.appendChild(b);
        p.appendChild(document.createTextNode(" " + label + "  "));
      }
      box.appendChild(p);
    };
    line([[DATA.source.lang + " sentences ·", SRC.length, "count-src"],
      [DATA.target.lang + " sentences ·", TGT.length, "count-tgt"],
      ["links", links.length, "count-links"],
      ["(" + Object.keys(kinds).sort((a, b) => kinds[b] - kinds[a] || (a < b ? -1 : 1))
        .map((k) => kinds[k] + " " + k).join(", ") + ")", null]]);
    line([["flagged ·", flagged, "count-flagged"], ["low confidence ·", low, "count-low"],
      ["skipped lines ·", (DATA.skipped || []).length, "count-skipped"],
      ["mean confidence ", null], [" ", scored ? (sum / scored).toFixed(2) : "–", "mean-score"]]);
    line([["accepted ·", status.accepted, "count-accepted"],
      ["rejected ·", status.rejected, "count-rejected"],
      ["edited ·", status.edited, "count-edited"],
      ["to review", links.length - status.accepted - status.rejected - status.edited,
        "count-todo"]]);
    drawHistogram(bins);
    updateFilterOptions(flagged, low, flagCounts, status);
  }
  function drawHistogram(bins) {
    const NS = "http://www.w3.org/2000/svg";
    const w = 22; const h = 60; const top = Math.max(1, ...bins);
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("width", String(bins.length * w + 4));
    svg.setAttribute("height", String(h + 28));
    svg.setAttribute("role", "img");
    const title = document.createElementNS(NS, "title");
    title.textContent = "Links by confidence, 0 to 1 in steps of 0.1: " + bins.join(", ");
    svg.appendChild(title);
    bins.forEach((n, b) => {
      const bh = Math.round((n / top) * h);
      const rect = document.createElementNS(NS, "rect");
      rect.setAttribute("x", String(2 + b * w)); rect.setAttribute("y", String(h - bh + 12));
      rect.setAttribute("width", String(w - 3)); rect.setAttribute("height", String(bh));
      const green = b >= Math.round(HIGH * 10); const amber = b * 0.1 >= LOW;
      rect.setAttribute("fill", green ? "#2e7d32" : amber ? "#e0a000" : "#c62828");
      const tip = document.createElementNS(NS, "title");
      tip.textContent = (b / 10).toFixed(1) + "–" + ((b + 1) / 10).toFixed(1) + ": " + n;
      rect.appendChild(tip);
      svg.appendChild(rect);
      if (n) {
        const t = document.createElementNS(NS, "text");
        t.setAttribute("x", String(2 + b * w + (w - 3) / 2)); t.setAttribute("y", String(h - bh + 10));
        t.setAttribute("text-anchor", "middle"); t.textContent = String(n);
        svg.appendChild(t);
      }
    });
    for (const [x, label] of [[2, "0"], [2 + 5 * w, "0.5"], [bins.length * w, "1"]]) {
      const t = document.createElementNS(NS, "text");
      t.setAttribute("x", String(x)); t.setAttribute("y", String(h + 24));
      t.setAttribute("text-anchor", x === 2 ? "start" : x > 5 * w + 2 ? "end" : "middle");
      t.textContent = label;
      svg.appendChild(t);
    }
    const fig = document.getElementById("histogram");
    fig.replaceChildren(svg);
  }
  function updateFilterOptions(flagged, low, flagCounts, status) {
    const chosen = filterBox.value || "all";
    const options = [["all", "all links (" + links.length + ")"],
      ["flagged", "flagged (" + flagged + ")"], ["low", "low confidence (" + low + ")"],
      ["todo", "not reviewed yet"]];
    for (const f of Object.keys(FLAG_LABELS)) {
      if (flagCounts[f]) options.push(["flag:" + f, FLAG_LABELS[f] + " (" + flagCounts[f] + ")"]);
    }
    for (const s of ["accepted", "rejected", "edited"]) {
      if (status[s]) options.push(["status:" + s, s + " (" + status[s] + ")"]);
    }
    filterBox.replaceChildren(...options.map(([value, label]) => {
      const o = el("option", null, label); o.value = value; return o;
    }));
    filterBox.value = options.some(([v]) => v === chosen) ? chosen : "all";
  }

  // ---- filter and search --------------------------------------------------------------------
  const textCache = new WeakMap();
  function textOf(l) {
    let t = textCache.get(l);
    if (t === undefined) {
      t = l.source.map((i) => SRC[i].text).concat(l.target.map((i) => TGT[i].text))
        .join("\n").toLowerCase();
      textCache.set(l, t);
    }
    return t;
  }
  function visible(l) {
    const f = filterBox.value || "all";
    if (f === "flagged" && !l.flags.length) return false;
    if (f === "low" && !isLow(l)) return false;
    if (f === "todo" && l.status) return false;
    if (f.startsWith("flag:") && !l.flags.includes(f.slice(5))) return false;
    if (f.startsWith("status:") && l.status !== f.slice(7)) return false;
    const q = searchBox.value.trim().toLowerCase();
    return !q || textOf(l).includes(q);
  }
  function applyFilter() {
    const all = (filterBox.value || "all") === "all" && !searchBox.value.trim();
    for (const l of links) rowOf.get(l).hidden = !visible(l);
    for (const box of main.querySelectorAll("details.skipped")) box.hidden = !all;
    if (links.length && rowOf.get(links[cur]).hidden) {
      const next = links.findIndex((l) => !rowOf.get(l).hidden);
      if (next >= 0) select(next, false);
    }
  }

  // ---- the current link and the actions ---------------------------------------------------
  function select(i, scroll) {
    if (!links.length) return;
    i = Math.max(0, Math.min(links.length - 1, i));
    const before = main.querySelector(".link.current");
    if (before) before.classList.remove("current");
    cur = i;
    const row = rowOf.get(links[i]);
    row.classList.add("current");
    row.appendChild(actions);
    actions.hidden = false;
    if (scroll) row.scrollIntoView({ block: "nearest" });
  }
  function step(direction, onlyFlagged) {
    for (let i = cur + direction; i >= 0 && i < links.length; i += direction) {
      const l = links[i];
      if (!rowOf.get(l).hidden && (!onlyFlagged || l.flags.length)) { select(i, true); return; }
    }
  }
  function setStatus(status) {
    const l = links[cur];
    const next = l.status === status ? (l.edited ? "edited" : null) : status;
    replace(cur, 1, [makeLink(l.source, l.target, l.score, l.flags, next, l.edited, l.parts,
      l.confidence)]);
  }
  function merge() {
    if (cur + 1 >= links.length) { say("The last link has no next link to merge with."); return; }
    const a = links[cur]; const b = links[cur + 1];
    const parts = (a.parts || [a]).concat(b.parts || [b]);
    replace(cur, 2, [edited(a.source.concat(b.source), a.target.concat(b.target), parts)]);
  }
  function split() {
    const l = links[cur];
    if (l.parts) { replace(cur, 1, l.parts); return; }
    if (l.source.length + l.target.length <= 2) { say("Only a link of several sentences can be split."); return; }
    // No record of how it was built: pair the sentences in order, the rest one-sided.
    const n = Math.max(l.source.length, l.target.length);
    const fresh = [];
    for (let k = 0; k < n; k++) {
      fresh.push(edited(k < l.source.length ? [l.source[k]] : [], k < l.target.length ? [l.target[k]] : []));
    }
    replace(cur, 1, fresh);
  }
  // Move the first (to the previous link) or last (to the next link) sentence of one side.
  function move(side, direction) {
    const l = links[cur]; const j = cur + direction;
    if (!l[side].length) { say("This link has no " + (side === "source" ? "source" : "target") + " sentence."); return; }
    if (j < 0 || j >= links.length) { say("There is no link there to move the sentence to."); return; }
    const other = links[j];
    const moved = direction < 0 ? l[side][0] : l[side][l[side].length - 1];
    const keep = l[side].filter((x) => x !== moved);
    const take = other[side].concat([moved]);
    const build = (link, values) => {
      const s = side === "source" ? values : link.source.slice();
      const t = side === "target" ? values : link.target.slice();
      return s.length || t.length ? [edited(s, t)] : [];
    };
    const first = direction < 0 ? build(other, take) : build(l, keep);
    const second = direction < 0 ? build(l, keep) : build(other, take);
    // The selection stays on the link that gave the sentence (or where it was, if it emptied).
    const focus = direction < 0 ? j + (second.length ? 1 : 0) : cur;
    replace(Math.min(cur, j), 2, first.concat(second), focus);
  }
  function undo() {
    if (!history.length) { say("Nothing to undo."); return; }
    links = history.pop();
    scheduleSave();
    renderAll();
  }
  function exportJson() {
    const doc = Object.assign({}, DATA, { links: links.map((l) => toJson(l, false)) });
    const blob = new Blob([JSON.stringify(doc) + "\n"], { type: "application/json" });
    const a = document.createElement("a");
    const base = (DATA.source.path || "alignment").split(/[\\/]/).pop().replace(/\.[^.]*$/, "");
    a.download = base + ".reviewed.json";
    a.href = URL.createObjectURL(blob);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    say("Exported " + a.download + ": convert it with 'aligner convert " + a.download + " -f tmx'.");
  }
  const ACTIONS = {
    accept: () => setStatus("accepted"), reject: () => setStatus("rejected"), merge, split,
    "tgt-prev": () => move("target", -1), "tgt-next": () => move("target", 1),
    "src-prev": () => move("source", -1), "src-next": () => move("source", 1),
  };
  const KEYS = {
    j: () => step(1, false), ArrowDown: () => step(1, false), k: () => step(-1, false),
    ArrowUp: () => step(-1, false), n: () => step(1, true), p: () => step(-1, true),
    a: ACTIONS.accept, r: ACTIONS.reject, m: merge, s: split, "[": ACTIONS["tgt-prev"],
    "]": ACTIONS["tgt-next"], "{": ACTIONS["src-prev"], "}": ACTIONS["src-next"], u: undo,
    e: exportJson,
    f: () => { filterBox.value = filterBox.value === "flagged" ? "all" : "flagged"; applyFilter(); },
    "/": () => searchBox.focus(),
  };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const typing = event.target.closest && event.target.closest("input, select, textarea");
    if (typing) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    const act = KEYS[event.key];
    if (act && links.length) { event.preventDefault(); act(); }
  });
  actions.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-act]");
    if (button) { event.stopPropagation(); ACTIONS[button.dataset.act](); }
  });
  main.addEventListener("click", (event) => {
    const row = event.target.closest(".link");
    if (row && !event.target.closest("#actions")) select(links.indexOf(row._link), false);
  });
  filterBox.addEventListener("change", applyFilter);
  let timer = 0;
  searchBox.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(applyFilter, 120); });
  document.getElementById("undo").addEventListener("click", undo);
  document.getElementById("export").addEventListener("click", exportJson);
  document.getElementById("discard").addEventListener("click", () => {
    if (!window.confirm("Forget the review saved in this browser and show the file's links?")) return;
    try { localStorage.removeItem(KEY); } catch (err) { /* nothing saved */ }
    links = DATA.links.map(fromJson); history = [];
    renderAll();
    say("Saved review discarded.");
  });

  // ---- start --------------------------------------------------------------------------------
  document.getElementById("doc-name").textContent =
    [DATA.source.path, DATA.target.path].filter(Boolean)
      .filter((p, i, all) => all.indexOf(p) === i).join(" ↔ ") + " · " + DATA.mode + " · " + DATA.model;
  document.getElementById("src-head").textContent = DATA.source.lang;
  document.getElementById("tgt-head").textContent = DATA.target.lang;
  restore();
  renderAll();
  document.documentElement.dataset.ready = "1";
})();
