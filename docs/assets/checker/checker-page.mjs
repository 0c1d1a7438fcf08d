// The checker page: live checks of a draft by the inmail_checker package, run in a Web Worker.
//
// checker.mjs imports this module the first time a page holds #inmail-checker, and calls
// mount() after every page change (Material's instant navigation swaps the page content
// without reloading scripts). The worker, once started, is kept for the rest of the visit.
//
// What the reader types stays in this browser: it goes to the worker and to localStorage
// (so a reload keeps the draft), nowhere else. It is only ever shown with textContent.

import { takeEarlyWorker } from "./checker.mjs";

const WORKER_URL = new URL("checker-worker.mjs", import.meta.url);
const STORAGE_KEY = "inmail-checker.draft";
const DEBOUNCE_MS = 150;
// Far past LinkedIn's limits a draft can have thousands of findings; the page lists and
// highlights the first ones (Copy report has them all).
const MAX_LISTED = 200;
const MAX_MARKS = 2000;
// The words come from the checker (the worker's ready message); the icons are the page's.
const VERDICT_ICONS = { "looks-genuine": "✓", "needs-work": "!", "likely-spam": "✕" };
let labels = { verdicts: {}, severities: {} };

const numberFormat = new Intl.NumberFormat("en");

/** Length in code points, as Python's len() counts (a lone surrogate counts as one). */
function codePointLength(text) {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

// --- The worker ------------------------------------------------------------------------------

/** One worker for the whole visit: requests by id, replies resolve the matching promise. */
class CheckerWorker {
  constructor() {
    this.pending = new Map();
    this.nextId = 1;
    this.state = { stage: "starting", message: "Starting the checker…" };
    this.listeners = new Set();
    if (typeof WebAssembly !== "object") {
      this.fail("this browser does not run WebAssembly (it may be switched off)");
      return;
    }
    if (typeof Worker !== "function") {
      this.fail("this browser does not support Web Workers");
      return;
    }
    const early = takeEarlyWorker();
    try {
      if (!early) performance.mark("inmail:worker-created");
      /** @type {WorkerOptions} */
      const options = { type: "module", name: "inmail-checker" };
      this.worker = early?.worker ?? new Worker(WORKER_URL, options);
    } catch (error) {
      this.fail(`the checker’s worker could not start (${error.message})`);
      return;
    }
    const onMessage = (event) => this.receive(event.data);
    const onError = (event) => {
      event.preventDefault();
      const detail = event.message ? ` (${event.message})` : "";
      this.fail(`the checker’s worker stopped; this browser may not run module workers${detail}`);
    };
    this.worker.addEventListener("message", onMessage);
    this.worker.addEventListener("error", onError);
    this.worker.addEventListener("messageerror", () => this.fail("a message could not be read"));
    for (const event of early?.events ?? []) {
      if (event.type === "error") onError(event);
      else onMessage(event);
    }
  }

  get failed() {
    return this.state.stage === "failed";
  }

  get ready() {
    return this.state.stage === "ready";
  }

  subscribe(listener) {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  setState(state) {
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }

  fail(reason) {
    if (this.failed) return;
    this.worker?.terminate();
    for (const { reject } of this.pending.values()) reject(new Error(reason));
    this.pending.clear();
    this.setState({ stage: "failed", message: reason });
  }

  /** The worker's start-up steps as marks on this page's timeline (for the benchmark). */
  recordTimings(timings) {
    for (const [step, epochMs] of Object.entries(timings)) {
      const startTime = epochMs - performance.timeOrigin;
      if (startTime >= 0) performance.mark(`inmail:${step}`, { startTime });
    }
  }

  receive(message) {
    if (!message || typeof message !== "object") return;
    if (message.id === undefined) {
      if (message.kind === "progress") {
        if (message.timings) this.recordTimings(message.timings);
        if (message.info) this.info = JSON.parse(message.info);
        this.setState({ stage: message.stage, message: message.message });
      } else if (message.kind === "failed") {
        this.fail(`the Python runtime could not load (${message.error})`);
      }
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    if (message.ok) entry.resolve(message.result);
    else entry.reject(new Error(message.error));
  }

  /** Sends one request; resolves with the worker's reply (text). */
  request(kind, fields = {}) {
    if (this.failed) return Promise.reject(new Error(this.state.message));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...fields, id, kind });
    });
  }
}

let sharedWorker = null;
const ruleTitles = new Map();

function checkerWorker() {
  sharedWorker ??= new CheckerWorker();
  return sharedWorker;
}

// --- Highlights behind a textarea ----------------------------------------------------------

/**
 * A mirror of the textarea's text, drawn behind it (the textarea's background is transparent),
 * in which the flagged words are wrapped in <mark>. The textarea keeps native editing, undo,
 * spell checking and IME; the mirror only paints.
 */
class Highlighter {
  constructor(textarea, backdrop) {
    this.textarea = textarea;
    this.backdrop = backdrop;
    this.text = "";
    this.ranges = [];
    this.active = -1;
    textarea.addEventListener("scroll", () => this.syncScroll(), { passive: true });
  }

  syncScroll() {
    this.backdrop.scrollTop = this.textarea.scrollTop;
    this.backdrop.scrollLeft = this.textarea.scrollLeft;
  }

  /** ranges: the field's marked segments from the worker, [{start, end, kind, findings,
   * region}] in UTF-16 units of ``text``. */
  show(text, ranges, active = -1) {
    this.text = text;
    this.ranges = ranges;
    this.active = active;
    this.paint();
  }

  /** Keeps highlights in place while the reader edits, until the next report arrives. */
  edit(text) {
    const before = this.text;
    if (text === before) return;
    let prefix = 0;
    const shortest = Math.min(before.length, text.length);
    while (prefix < shortest && before.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (
      suffix < shortest - prefix &&
      before.charCodeAt(before.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
    ) {
      suffix++;
    }
    const oldEnd = before.length - suffix;
    const delta = text.length - before.length;
    const kept = [];
    for (const range of this.ranges) {
      if (range.end <= prefix) kept.push(range);
      else if (range.start >= oldEnd) {
        kept.push({ ...range, start: range.start + delta, end: range.end + delta });
      }
    }
    this.show(text, kept, this.active);
  }

  select(index) {
    this.active = index;
    for (const mark of this.backdrop.querySelectorAll("mark.is-active")) {
      mark.classList.remove("is-active");
    }
    for (const mark of this.backdrop.querySelectorAll(`mark[data-findings~="${index}"]`)) {
      mark.classList.add("is-active");
    }
  }

  paint() {
    const { text } = this;
    const fragment = document.createDocumentFragment();
    let position = 0;
    for (const range of this.ranges.slice(0, MAX_MARKS)) {
      const start = Math.max(position, Math.min(range.start, text.length));
      const end = Math.max(start, Math.min(range.end, text.length));
      if (end <= start) continue;
      if (start > position) fragment.append(text.slice(position, start));
      fragment.append(this.mark(text.slice(start, end), range));
      position = end;
    }
    if (position < text.length) fragment.append(text.slice(position));
    // A final newline needs something after it, or the mirror is one line short.
    fragment.append(" ");
    this.backdrop.replaceChildren(fragment);
    this.syncScroll();
  }

  mark(piece, range) {
    const mark = document.createElement("mark");
    mark.className = `inmail-hl inmail-hl--${range.kind}${range.region ? " inmail-hl--region" : ""}`;
    mark.dataset.findings = range.findings.join(" ");
    if (range.findings.includes(this.active)) mark.classList.add("is-active");
    mark.textContent = piece;
    return mark;
  }

  /** Scrolls the textarea so that finding ``index`` sits in its upper third. */
  reveal(index) {
    const mark = this.backdrop.querySelector(`mark[data-findings~="${index}"]`);
    if (!mark) return;
    const top = mark.offsetTop - this.backdrop.clientTop;
    const target = Math.max(0, top - this.textarea.clientHeight / 3);
    const { scrollTop, clientHeight } = this.textarea;
    if (top < scrollTop || top + mark.offsetHeight > scrollTop + clientHeight) {
      this.textarea.scrollTop = target;
    }
    this.syncScroll();
  }
}

// --- The page --------------------------------------------------------------------------------

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function loadDraft() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    if (saved && typeof saved.subject === "string" && typeof saved.body === "string") return saved;
  } catch {
    // Storage switched off or unreadable: start empty.
  }
  return { subject: "", body: "" };
}

function saveDraft(subject, body) {
  try {
    if (subject || body) localStorage.setItem(STORAGE_KEY, JSON.stringify({ subject, body }));
    else localStorage.removeItem(STORAGE_KEY);
    return true;
  } catch {
    return false;
  }
}

function ofLimit(value, limit) {
  return `${numberFormat.format(value)} of ${numberFormat.format(limit)} characters`;
}

function plural(count, one, many) {
  return `${numberFormat.format(count)} ${count === 1 ? one : many}`;
}

class CheckerPage {
  constructor(root, worker) {
    this.root = root;
    this.worker = worker;
    const find = (selector) => root.querySelector(selector);
    this.subject = find("#inmail-subject");
    this.body = find("#inmail-body");
    this.subjectCount = find("#inmail-subject-count");
    this.bodyCount = find("#inmail-body-count");
    this.result = find("#inmail-result");
    this.scoreValue = find("#inmail-score");
    this.verdict = find("#inmail-verdict");
    this.status = find("#inmail-status");
    this.findingsHeading = find("#inmail-findings-heading");
    this.findings = find("#inmail-findings");
    this.strengthsHeading = find("#inmail-strengths-heading");
    this.strengths = find("#inmail-strengths");
    this.details = find("#inmail-details");
    this.copyButton = find("#inmail-copy");
    this.clearButton = find("#inmail-clear");
    this.notice = find("#inmail-notice");
    // Outside the widget, in Markdown, so that MkDocs resolves (and checks) their links.
    this.failure = document.getElementById("inmail-failure");
    this.failureReason = document.getElementById("inmail-failure-reason");
    /** @type {HTMLAnchorElement | null} */
    const rulesLink = document.querySelector("a[data-inmail-link='rules']");
    this.rulesUrl = rulesLink?.href ?? "../rules/";
    this.highlighters = {
      subject: new Highlighter(this.subject, find("#inmail-subject-backdrop")),
      body: new Highlighter(this.body, find("#inmail-body-backdrop")),
    };
    this.report = null;
    this.reportDraft = null;
    this.timer = 0;
    this.inFlight = false;
    this.queued = null;
    this.lastInputAt = 0;
    this.lastAnnounced = "";
    this.disposed = false;

    // Restore the saved draft, unless the reader has already typed (this module may arrive
    // after the fields are on screen); what they typed wins and is saved.
    if (this.subject.value || this.body.value) {
      saveDraft(this.subject.value, this.body.value);
    } else {
      const draft = loadDraft();
      this.subject.value = draft.subject;
      this.body.value = draft.body;
    }
    for (const field of [this.subject, this.body]) {
      field.addEventListener("input", () => this.edited());
    }
    // The subject is one line, as in LinkedIn: Enter does not add a line break.
    this.subject.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.isComposing) event.preventDefault();
    });
    this.copyButton.addEventListener("click", () => this.copy());
    this.clearButton.addEventListener("click", () => this.clear());
    this.findings.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-finding]");
      if (button) this.selectFinding(Number(button.dataset.finding));
    });
    this.resizeObserver = new ResizeObserver(() => {
      for (const highlighter of Object.values(this.highlighters)) highlighter.syncScroll();
      this.fitSubject();
    });
    this.resizeObserver.observe(this.body);
    this.resizeObserver.observe(this.subject);

    this.root.classList.add("inmail-checker--live");
    this.updateCounts();
    this.fitSubject();
    this.highlighters.subject.show(this.subject.value, []);
    this.highlighters.body.show(this.body.value, []);
    this.setResult(null);
    this.unsubscribe = worker.subscribe((state) => this.workerState(state));
  }

  dispose() {
    this.disposed = true;
    clearTimeout(this.timer);
    this.unsubscribe?.();
    this.resizeObserver.disconnect();
  }

  draft() {
    return { subject: this.subject.value, body: this.body.value };
  }

  isEmpty(draft) {
    return !draft.subject && !draft.body;
  }

  workerState(state) {
    if (this.disposed) return;
    this.root.dataset.state = state.stage;
    if (state.stage === "failed") {
      this.showFailure(state.message);
      return;
    }
    if (state.stage === "ready") {
      this.useInfo(this.worker.info);
      this.check();
      return;
    }
    this.setStatus(state.message);
  }

  /** The checker's own words and rule titles, from its ready message. */
  useInfo(info) {
    if (!info) return;
    labels = info.labels;
    for (const rule of info.rules) ruleTitles.set(rule.id, rule.title);
  }

  showFailure(reason) {
    clearTimeout(this.timer);
    this.failureReason.textContent = `The checker can’t run here: ${reason}.`;
    this.failure.hidden = false;
    this.setStatus("The checker is unavailable. Your draft is kept in this browser.");
    this.setResult(null);
    this.result.setAttribute("aria-busy", "false");
  }

  setStatus(text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  edited() {
    this.lastInputAt = performance.now();
    const draft = this.draft();
    this.highlighters.subject.edit(draft.subject);
    this.highlighters.body.edit(draft.body);
    this.updateCounts();
    this.fitSubject();
    if (!saveDraft(draft.subject, draft.body)) {
      this.notice.textContent =
        "This browser would not store the draft; it will be lost on reload.";
    } else if (this.notice.textContent) {
      this.notice.textContent = "";
    }
    // The shown score belongs to the previous text: blank the attributes until the new one.
    this.setPending();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), DEBOUNCE_MS);
  }

  setPending() {
    this.result.dataset.score = "";
    this.result.dataset.verdict = "";
    if (!this.worker.failed) this.result.setAttribute("aria-busy", "true");
    this.result.classList.add("is-stale");
  }

  fitSubject() {
    // One line that grows when a long subject wraps.
    this.subject.style.height = "auto";
    const { scrollHeight, offsetHeight, clientHeight } = this.subject;
    this.subject.style.height = `${scrollHeight + offsetHeight - clientHeight}px`;
  }

  updateCounts() {
    this.showCount(this.subjectCount, codePointLength(this.subject.value));
    this.showCount(this.bodyCount, codePointLength(this.body.value));
  }

  /** The limits are the checker's, written into the count's data attributes by the page. */
  showCount(node, count) {
    const limit = Number(node.dataset.limit);
    const warnFrom = Number(node.dataset.warnFrom);
    let state = "ok";
    let note = "";
    if (count > limit) {
      state = "over";
      note = ` (${numberFormat.format(count - limit)} over LinkedIn’s limit)`;
    } else if (count >= warnFrom && warnFrom < limit) {
      state = "near";
      note = " (close to LinkedIn’s limit)";
    }
    const shown = `${numberFormat.format(count)} / ${numberFormat.format(limit)}`;
    node.textContent = `${shown} characters${note}`;
    node.dataset.state = state;
  }

  /** Checks the current draft; one request at a time, and only the newest draft's result shows. */
  check() {
    if (this.disposed || !this.worker.ready) return;
    clearTimeout(this.timer);
    const draft = this.draft();
    if (this.isEmpty(draft)) {
      this.queued = null;
      this.setResult(null);
      this.result.setAttribute("aria-busy", "false");
      this.setStatus("Type or paste a draft: the result appears here as you write.");
      return;
    }
    if (this.inFlight) {
      this.queued = draft;
      return;
    }
    this.send(draft);
  }

  async send(draft) {
    this.inFlight = true;
    this.setPending();
    this.result.dataset.checking = "true";
    const sentAt = performance.now();
    const inputAt = this.lastInputAt || sentAt;
    let result = null;
    let error = null;
    try {
      result = JSON.parse(await this.worker.request("check", draft));
    } catch (caught) {
      error = caught;
    }
    this.inFlight = false;
    delete this.result.dataset.checking;
    if (this.disposed) return;
    const queued = this.queued;
    this.queued = null;
    const current = this.draft();
    const stale = current.subject !== draft.subject || current.body !== draft.body;
    if (queued && stale) {
      this.send(queued);
      return;
    }
    if (stale) return; // a newer edit is waiting for its debounce
    if (error) {
      if (!this.worker.failed) {
        this.setResult(null);
        this.result.setAttribute("aria-busy", "false");
        this.setStatus(`The checker failed on this draft: ${error.message}`);
      }
      return;
    }
    const receivedAt = performance.now();
    this.render(result, draft);
    const renderedAt = performance.now();
    performance.measure("inmail:worker", { start: sentAt, end: receivedAt });
    performance.measure("inmail:check+render", { start: sentAt, end: renderedAt });
    performance.measure("inmail:input-to-result", { start: inputAt, end: renderedAt });
    if (performance.getEntriesByType("measure").length > 600) performance.clearMeasures();
  }

  setResult(report) {
    const verdict = report
      ? { label: labels.verdicts[report.verdict] ?? report.verdict, icon: VERDICT_ICONS[report.verdict] }
      : null;
    this.result.dataset.score = report ? String(report.score) : "";
    this.result.dataset.verdict = report ? report.verdict : "";
    this.result.classList.toggle("is-empty", !report);
    this.result.classList.remove("is-stale");
    this.scoreValue.textContent = report ? String(report.score) : "–";
    this.verdict.className = "inmail-verdict inmail-result__verdict";
    if (report) this.verdict.classList.add(`inmail-verdict--${report.verdict}`);
    this.verdict.replaceChildren();
    if (verdict) {
      this.verdict.append(element("span", "inmail-result__icon", verdict.icon));
      this.verdict.lastChild.setAttribute("aria-hidden", "true");
      this.verdict.append(element("span", "inmail-verdict__label", verdict.label));
    } else {
      this.verdict.append(element("span", "inmail-result__placeholder", "No result yet"));
    }
    this.details.hidden = !report;
    this.copyButton.disabled = !report;
    if (!report) {
      this.report = null;
      this.findings.replaceChildren();
      this.strengths.replaceChildren();
      this.highlighters.subject.show(this.subject.value, []);
      this.highlighters.body.show(this.body.value, []);
    }
  }

  render({ report, segments }, draft) {
    this.report = report;
    this.reportDraft = draft;
    this.setResult(report);
    this.result.setAttribute("aria-busy", "false");
    this.renderFindings(report);
    this.renderStrengths(report);
    this.highlighters.subject.show(draft.subject, segments.subject);
    this.highlighters.body.show(draft.body, segments.body);
    const verdict = labels.verdicts[report.verdict] ?? report.verdict;
    const summary =
      `Score ${report.score} out of 100: ${verdict.toLowerCase()}. ` +
      `${plural(report.findings.length, "problem", "problems")}, ` +
      `${plural(report.strengths.length, "strength", "strengths")}.`;
    if (summary !== this.lastAnnounced) {
      this.lastAnnounced = summary;
      this.setStatus(summary);
    }
  }

  renderFindings(report) {
    const { findings } = report;
    this.findingsHeading.textContent = findings.length
      ? `Problems (${numberFormat.format(findings.length)})`
      : "Problems: none found";
    const items = findings
      .slice(0, MAX_LISTED)
      .map((finding, index) => this.findingItem(finding, index));
    if (findings.length > MAX_LISTED) {
      items.push(
        element(
          "li",
          "inmail-finding inmail-finding--more",
          `…and ${numberFormat.format(findings.length - MAX_LISTED)} more ` +
            "(Copy report lists them all).",
        ),
      );
    }
    this.findings.replaceChildren(...items);
  }

  findingItem(finding, index) {
    const item = element("li", `inmail-finding inmail-finding--${finding.severity}`);
    item.dataset.rule = finding.rule;
    const button = element("button", "inmail-finding__select");
    button.type = "button";
    button.dataset.finding = String(index);
    const severity = element(
      "span",
      `inmail-severity inmail-severity--${finding.severity}`,
      labels.severities[finding.severity] ?? finding.severity,
    );
    const fieldName = finding.field === "subject" ? "Subject" : "Message";
    const where = element("span", "inmail-finding__field", fieldName);
    const message = element("span", "inmail-finding__message", finding.message);
    button.append(severity, " ", message, " ", where);
    button.title = finding.spans.length ? "Select these words in the draft" : "Go to this field";
    const why = element("p", "inmail-finding__why");
    why.append(element("strong", "", "Why: "), finding.rationale);
    const fix = element("p", "inmail-finding__fix");
    fix.append(element("strong", "", "How to fix: "), finding.fix);
    const link = element("a", "inmail-rule-link");
    const url = new URL(this.rulesUrl, location.href);
    url.hash = finding.rule;
    link.href = url.href;
    const title = ruleTitles.get(finding.rule);
    link.append(title ? `Rule: ${title} ` : "Rule ", element("code", "", finding.rule));
    const about = element("p", "inmail-finding__rule");
    about.append(link);
    item.append(button, why, fix, about);
    return item;
  }

  renderStrengths(report) {
    const { strengths } = report;
    this.strengthsHeading.textContent = strengths.length
      ? `Strengths (${numberFormat.format(strengths.length)})`
      : "Strengths: none found yet";
    this.strengths.replaceChildren(
      ...strengths.map((strength) => {
        const item = element("li", "inmail-strength");
        item.dataset.rule = strength.rule;
        item.append(element("span", "inmail-bonus", `+${strength.bonus}`), " ", strength.message);
        return item;
      }),
    );
  }

  selectFinding(index) {
    const finding = this.report?.findings[index];
    if (!finding) return;
    const field = finding.field === "subject" ? this.subject : this.body;
    const highlighter = this.highlighters[finding.field];
    for (const button of this.findings.querySelectorAll("button[aria-pressed]")) {
      button.removeAttribute("aria-pressed");
    }
    const button = this.findings.querySelector(`button[data-finding="${index}"]`);
    button?.setAttribute("aria-pressed", "true");
    for (const other of Object.values(this.highlighters)) {
      other.select(other === highlighter ? index : -1);
    }
    field.focus({ preventScroll: true });
    const span = finding.spans[0];
    if (span) {
      field.setSelectionRange(span.start_utf16, span.end_utf16, "forward");
      highlighter.reveal(index);
    }
    field.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  async copy() {
    if (!this.report || !this.reportDraft) return;
    let copied = false;
    let text = "";
    try {
      text = await this.worker.request("report-text", this.reportDraft);
    } catch (error) {
      this.notice.textContent = `The report could not be made: ${error.message}`;
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch {
      copied = this.copyWithSelection(text);
    }
    this.notice.textContent = copied
      ? "Report copied to the clipboard."
      : "This browser would not let the page copy; select the findings and copy them instead.";
  }

  copyWithSelection(text) {
    const scratch = element("textarea", "inmail-scratch");
    scratch.value = text;
    scratch.setAttribute("readonly", "");
    this.root.append(scratch);
    scratch.select();
    let copied = false;
    try {
      copied = document.execCommand("copy");
    } catch {
      copied = false;
    }
    scratch.remove();
    return copied;
  }

  clear() {
    // Deleting through the editing commands keeps the browser's undo (Ctrl+Z) able to bring
    // the text back; where that is not available the fields are simply emptied.
    for (const field of [this.body, this.subject]) {
      if (!field.value) continue;
      field.focus();
      field.select();
      let deleted = false;
      try {
        deleted = document.execCommand("delete");
      } catch {
        deleted = false;
      }
      if (!deleted || field.value) {
        field.value = "";
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    saveDraft("", "");
    this.setResult(null);
    this.lastAnnounced = "";
    this.notice.textContent = "Draft cleared and removed from this browser.";
    this.subject.focus();
  }
}

// --- Start-up --------------------------------------------------------------------------------

let page = null;

/** Binds the checker to ``root`` (the page's #inmail-checker), or unbinds it when null. */
export function mount(root) {
  if (page && page.root === root) return;
  page?.dispose();
  page = root ? new CheckerPage(root, checkerWorker()) : null;
}
