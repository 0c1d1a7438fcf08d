// The checker page's controller: the draft's fields and their highlights, the three context
// questions, the examples menu, the actions, saving, and when to check.
//
// checker.mjs imports this module the first time a page holds #inmail-checker, and calls
// mount() after every page change (Material's instant navigation swaps the page content
// without reloading scripts). The worker (worker-client.mjs), once started, is kept for the
// rest of the visit; the result panel is result-view.mjs, the highlights highlighter.mjs.
//
// What the reader types stays in this browser: it goes to the worker and to localStorage
// (so a reload keeps the draft), nowhere else. It is only ever shown with textContent.

import { Highlighter, codePointLength, utf16Length } from "./highlighter.mjs";
import { ResultView } from "./result-view.mjs";
import { checkerWorker } from "./worker-client.mjs";

/** @typedef {import("./protocol.mjs").CheckResult} CheckResult */
/** @typedef {import("./protocol.mjs").CheckerInfo} CheckerInfo */
/** @typedef {import("./protocol.mjs").Draft} Draft */
/** @typedef {import("./protocol.mjs").DraftContext} DraftContext */
/** @typedef {import("./protocol.mjs").Field} Field */
/** @typedef {import("./protocol.mjs").Rewrite} Rewrite */
/** @typedef {import("./worker-client.mjs").CheckerWorker} CheckerWorker */
/** @typedef {import("./worker-client.mjs").ClientState} ClientState */

/**
 * One of the examples the docs extension writes into the page (inmail_guide/examples.toml).
 * @typedef {{id: string, label: string, subject: string, body: string, context: DraftContext}}
 *   Example
 */

const STORAGE_KEY = "inmail-checker.draft";
/** The end of a paste too long to check, kept apart from the draft (see CheckerPage.pasted). */
const ASIDE_KEY = "inmail-checker.set-aside";
const ASIDE_FILE = "inmail-set-aside.txt";
/**
 * A long paste goes into its field this many UTF-16 units at a time, one task each: the browser
 * lays out only what each piece adds, where 100,000 characters at once block the page for
 * 100 ms or more.
 */
const PASTE_PIECE = 16_384;
/** Wait after a keystroke before checking; past the InMail limit, wait for a pause. */
const DEBOUNCE_MS = 150;
const PAUSE_MS = 800;
/** Saving waits for the typing to settle, longer for a large draft. */
const SAVE_MS = 400;
const SAVE_LARGE_MS = 2000;
const LARGE_DRAFT = 100_000;
const NARROW = "(max-width: 59.984375em)";

const numberFormat = new Intl.NumberFormat("en");

/**
 * The saved draft, its context as stored (the page checks it against its own questions).
 * @returns {{subject: string, body: string, context: unknown}}
 */
function loadDraft() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    if (saved && typeof saved.subject === "string" && typeof saved.body === "string") {
      return { subject: saved.subject, body: saved.body, context: saved.context };
    }
  } catch {
    // Storage switched off or unreadable: start empty.
  }
  return { subject: "", body: "", context: null };
}

/** @param {Draft} draft */
function saveDraft(draft) {
  try {
    if (draft.subject || draft.body) localStorage.setItem(STORAGE_KEY, JSON.stringify(draft));
    else localStorage.removeItem(STORAGE_KEY);
    return true;
  } catch {
    return false;
  }
}

/** The set-aside text kept from an earlier visit, "" when there is none. */
function loadAside() {
  try {
    return localStorage.getItem(ASIDE_KEY) ?? "";
  } catch {
    return "";
  }
}

/** @param {string} text */
function saveAside(text) {
  try {
    if (text) localStorage.setItem(ASIDE_KEY, text);
    else localStorage.removeItem(ASIDE_KEY);
    return true;
  } catch {
    return false;
  }
}

/**
 * ``text`` cut after ``codePoints`` code points (never inside a surrogate pair): [head, rest].
 * @param {string} text
 * @param {number} codePoints
 * @returns {[string, string]}
 */
function splitAt(text, codePoints) {
  const end = utf16Length(text, codePoints);
  return [text.slice(0, end), text.slice(end)];
}

/**
 * @param {Draft} a
 * @param {Draft | null} b
 */
function sameDraft(a, b) {
  return (
    !!b &&
    a.subject === b.subject &&
    a.body === b.body &&
    a.context.stage === b.context.stage &&
    a.context.answered === b.context.answered &&
    a.context.audience === b.context.audience
  );
}

/**
 * Replaces a textarea's selection through the browser's editing commands, so that it is one
 * step Ctrl+Z can undo; where they are not available, edits the value and says so with an
 * input event.
 * @param {HTMLTextAreaElement} field
 * @param {string} text
 */
function insertText(field, text) {
  let done = false;
  try {
    done = text ? document.execCommand("insertText", false, text) : document.execCommand("delete");
  } catch {
    done = false;
  }
  if (!done) {
    field.setRangeText(text, field.selectionStart, field.selectionEnd, "end");
    const input = { bubbles: true, inputType: "insertReplacementText" };
    field.dispatchEvent(new InputEvent("input", input));
  }
}

/** @param {unknown} error */
function reason(error) {
  return error instanceof Error ? error.message : String(error);
}

class CheckerPage {
  /**
   * @param {HTMLElement} root
   * @param {CheckerWorker} worker
   */
  constructor(root, worker) {
    this.root = root;
    this.worker = worker;
    /**
     * @template {Element} T
     * @param {string} id
     * @param {new () => T} type
     * @returns {T}
     */
    const find = (id, type) => {
      const node = root.querySelector(`#${id}`);
      if (!(node instanceof type)) throw new Error(`the checker's #${id} is missing`);
      return node;
    };
    this.subject = find("inmail-subject", HTMLTextAreaElement);
    this.body = find("inmail-body", HTMLTextAreaElement);
    this.counts = {
      subject: find("inmail-subject-count", HTMLElement),
      body: find("inmail-body-count", HTMLElement),
    };
    this.stage = find("inmail-stage", HTMLSelectElement);
    this.answered = find("inmail-answered", HTMLSelectElement);
    this.audience = find("inmail-audience", HTMLSelectElement);
    this.examples = find("inmail-examples", HTMLDetailsElement);
    this.examplesConfirm = find("inmail-examples-confirm", HTMLElement);
    this.examplesQuestion = find("inmail-examples-question", HTMLElement);
    this.copyText = find("inmail-copy-text", HTMLButtonElement);
    this.copyMarkdown = find("inmail-copy-markdown", HTMLButtonElement);
    this.clearButton = find("inmail-clear", HTMLButtonElement);
    this.notice = find("inmail-notice", HTMLElement);
    this.asideView = {
      panel: find("inmail-aside", HTMLElement),
      text: find("inmail-aside-text", HTMLElement),
      copy: find("inmail-aside-copy", HTMLButtonElement),
      save: find("inmail-aside-save", HTMLButtonElement),
      discard: find("inmail-aside-discard", HTMLButtonElement),
    };
    // What the checker reads of a field, in code points (the page writes the checker's figure).
    const checked = Number(root.dataset.checkedLimit);
    this.checkedLimit = checked > 0 ? checked : Infinity;
    /** The end of pastes too long to check, "" when there is none. */
    this.aside = loadAside();
    this.asideStored = true;
    /** The set-aside text's length in code points (as showAside last counted it). */
    this.asidePoints = 0;
    /**
     * The last paste cut at the checked limit, which the browser cannot undo: what it replaced
     * (at ``from``), how much it inserted, the field's text after it, the set-aside text before.
     * @type {{field: Field, from: number, replaced: string, inserted: number,
     *   after: string | null, aside: string} | null}
     */
    this.largePaste = null;
    /**
     * The paste being put into its field a piece at a time (the field is read-only meanwhile).
     * @type {{textarea: HTMLTextAreaElement, text: string, at: number, position: number,
     *   end: number, timer: number} | null}
     */
    this.pasting = null;
    this.asideTimer = 0;
    this.bar = find("inmail-scorebar", HTMLAnchorElement);
    this.resultHead = find("inmail-result-head", HTMLElement);
    // Outside the widget, in Markdown, so that MkDocs resolves (and checks) their links.
    this.failure = document.getElementById("inmail-failure");
    this.failureReason = document.getElementById("inmail-failure-reason");
    /** @type {Example[]} */
    this.exampleDrafts = JSON.parse(
      find("inmail-examples-data", HTMLTemplateElement).content.textContent || "[]",
    );
    /** @type {Example | null} */
    this.pendingExample = null;

    this.view = new ResultView(root, {
      select: (kind, index, span) => this.select(kind, index, span),
      apply: (index) => this.apply(index),
    });
    const rulesLink = document.querySelector("a[data-inmail-link='rules']");
    if (rulesLink instanceof HTMLAnchorElement) this.view.setRulesUrl(rulesLink.href);
    this.highlighters = {
      subject: new Highlighter(this.subject, find("inmail-subject-backdrop", HTMLElement)),
      body: new Highlighter(this.body, find("inmail-body-backdrop", HTMLElement)),
    };
    this.lengths = { subject: 0, body: 0 };
    this.limits = {
      subject: Number(this.counts.subject.dataset.limit),
      body: Number(this.counts.body.dataset.limit),
    };
    /** @type {Draft | null} the draft the shown result is for */
    this.reportDraft = null;
    this.checkTimer = 0;
    this.saveTimer = 0;
    this.inFlight = false;
    this.lastInputAt = 0;
    this.disposed = false;
    /** @type {(() => void)[]} */
    this.cleanups = [];
    /** Shows or hides the score bar (set up by setUpScoreBar). */
    this.updateScoreBar = () => {};

    // Restore the saved draft, unless the reader has already typed (this module may arrive
    // after the fields are on screen); what they typed wins and is saved.
    if (this.subject.value || this.body.value) {
      this.setContext(this.defaultContext());
      saveDraft(this.draft());
    } else {
      const draft = loadDraft();
      this.subject.value = draft.subject;
      this.body.value = draft.body;
      this.setContext(this.cleanContext(draft.context));
    }
    this.showAside();
    this.listen(this.subject, "input", () => this.edited("subject"));
    this.listen(this.body, "input", () => this.edited("body"));
    for (const field of /** @type {Field[]} */ (["subject", "body"])) {
      const textarea = this.textareaOf(field);
      this.listen(textarea, "paste", (event) => this.pasted(field, event));
      this.listen(textarea, "drop", (event) => this.pasted(field, event));
      this.listen(textarea, "keydown", (event) => this.undoLargePaste(field, event));
    }
    // The subject is one line, as in LinkedIn: Enter does not add a line break.
    this.listen(this.subject, "keydown", (event) => {
      if (event instanceof KeyboardEvent && event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
      }
    });
    for (const select of [this.stage, this.answered, this.audience]) {
      this.listen(select, "change", () => this.contextChanged());
    }
    this.listen(this.copyText, "click", () => this.copy(false));
    this.listen(this.copyMarkdown, "click", () => this.copy(true));
    this.listen(this.clearButton, "click", () => this.clear());
    this.listen(this.asideView.copy, "click", () => this.copyAside());
    this.listen(this.asideView.save, "click", () => this.saveAsideFile());
    this.listen(this.asideView.discard, "click", () => this.discardAside());
    this.listen(this.bar, "click", (event) => {
      event.preventDefault();
      this.view.focus();
    });
    this.setUpExamples();
    this.setUpScoreBar();
    // Saving waits for a pause; leaving the page does not.
    this.listen(document, "visibilitychange", () => {
      if (document.visibilityState === "hidden") this.flushSave();
    });
    this.listen(window, "pagehide", () => this.flushSave());

    this.resizeObserver = new ResizeObserver(() => {
      for (const highlighter of Object.values(this.highlighters)) highlighter.syncScroll();
      this.fitSubject();
    });
    this.resizeObserver.observe(this.body);
    this.resizeObserver.observe(this.subject);

    this.root.classList.add("inmail-checker--live");
    this.highlighters.subject.show(this.subject.value, []);
    this.highlighters.body.show(this.body.value, []);
    this.updateCount("subject");
    this.updateCount("body");
    this.fitSubject();
    this.view.clear();
    this.unsubscribe = worker.subscribe((state) => this.workerState(state));
  }

  /**
   * @param {EventTarget} target
   * @param {string} type
   * @param {(event: Event) => void} listener
   */
  listen(target, type, listener) {
    target.addEventListener(type, listener);
    this.cleanups.push(() => target.removeEventListener(type, listener));
  }

  dispose() {
    this.flushSave();
    clearTimeout(this.asideTimer);
    this.disposed = true;
    clearTimeout(this.checkTimer);
    this.unsubscribe?.();
    this.resizeObserver.disconnect();
    this.view.dispose();
    for (const highlighter of Object.values(this.highlighters)) highlighter.dispose();
    for (const cleanup of this.cleanups) cleanup();
  }

  /** @param {Field} field */
  textareaOf(field) {
    return field === "subject" ? this.subject : this.body;
  }

  /** @returns {Draft} */
  draft() {
    return { subject: this.subject.value, body: this.body.value, context: this.context() };
  }

  /** @returns {DraftContext} */
  context() {
    return this.cleanContext({
      stage: this.stage.value,
      answered: this.answered.value === "yes",
      audience: this.audience.value,
    });
  }

  /**
   * The context the form selects by default: the checker's own (the docs extension marks it).
   * @returns {DraftContext}
   */
  defaultContext() {
    /** @param {HTMLSelectElement} select */
    const chosen = (select) =>
      [...select.options].find((option) => option.defaultSelected)?.value ?? "";
    return /** @type {DraftContext} */ ({
      stage: chosen(this.stage),
      answered: chosen(this.answered) === "yes",
      audience: chosen(this.audience),
    });
  }

  /**
   * A context from storage, an example or the form, with any answer the form does not offer
   * replaced by its default (the form's options are the checker's, rendered from Python).
   * @param {unknown} raw
   * @returns {DraftContext}
   */
  cleanContext(raw) {
    const value = /** @type {Partial<Record<keyof DraftContext, unknown>>} */ (
      raw && typeof raw === "object" ? raw : {}
    );
    const fallback = this.defaultContext();
    /**
     * @param {HTMLSelectElement} select
     * @param {unknown} answer
     * @param {string} otherwise
     */
    const offered = (select, answer, otherwise) =>
      [...select.options].some((option) => option.value === answer) ? String(answer) : otherwise;
    return /** @type {DraftContext} */ ({
      stage: offered(this.stage, value.stage, fallback.stage),
      answered: typeof value.answered === "boolean" ? value.answered : fallback.answered,
      audience: offered(this.audience, value.audience, fallback.audience),
    });
  }

  /** @param {DraftContext} context */
  setContext(context) {
    this.stage.value = context.stage;
    this.answered.value = context.answered ? "yes" : "no";
    this.audience.value = context.audience;
  }

  /** @param {ClientState} state */
  workerState(state) {
    if (this.disposed) return;
    this.root.dataset.state = state.stage;
    if (state.stage === "failed") {
      this.showFailure(state.message);
      return;
    }
    if (state.stage === "ready") {
      if (this.worker.info) this.useInfo(this.worker.info);
      this.check();
      return;
    }
    this.view.setStatus(state.message);
  }

  /**
   * The checker's own words, limits and rule titles, from its ready message.
   * @param {CheckerInfo} info
   */
  useInfo(info) {
    this.view.setInfo(info);
    this.limits = { subject: info.limits.subject, body: info.limits.body };
    for (const highlighter of Object.values(this.highlighters)) {
      highlighter.setPaintLimit(info.limits.checked);
    }
  }

  /** @param {string} why */
  showFailure(why) {
    clearTimeout(this.checkTimer);
    if (this.failureReason) {
      this.failureReason.textContent = `The checker can’t run here: ${why}.`;
    }
    if (this.failure) this.failure.hidden = false;
    this.view.clear();
    this.view.setStatus("The checker is unavailable. Your draft is kept in this browser.");
    this.updateActions();
  }

  /**
   * Handles one edit of a field. Kept short at any size: the highlights change only around
   * the edit, the count is one pass, saving and checking wait for the typing to pause.
   * @param {Field} field
   */
  edited(field) {
    const started = performance.now();
    this.lastInputAt = started;
    const textarea = field === "subject" ? this.subject : this.body;
    // Read once: a textarea's value is a fresh copy of its text at every read.
    this.highlighters[field].edit(textarea.value);
    this.updateCount(field);
    if (field === "subject") this.fitSubject();
    this.scheduleSave();
    this.view.setUpdating(true);
    this.scheduleCheck();
    performance.measure("inmail:input", { start: started, end: performance.now() });
    if (performance.getEntriesByType("measure").length > 900) performance.clearMeasures();
  }

  contextChanged() {
    this.scheduleSave();
    this.view.setUpdating(true);
    clearTimeout(this.checkTimer);
    this.check();
  }

  /** True past LinkedIn's limits: then the page checks on a pause, not after every key. */
  overLimit() {
    return this.lengths.body > this.limits.body || this.lengths.subject > this.limits.subject;
  }

  scheduleCheck() {
    clearTimeout(this.checkTimer);
    const wait = this.overLimit() ? PAUSE_MS : DEBOUNCE_MS;
    this.checkTimer = window.setTimeout(() => this.check(), wait);
  }

  scheduleSave() {
    if (this.saveTimer) return;
    const { subject, body } = this.highlighters;
    const large = subject.text.length + body.text.length > LARGE_DRAFT;
    this.saveTimer = window.setTimeout(() => this.flushSave(), large ? SAVE_LARGE_MS : SAVE_MS);
  }

  flushSave() {
    if (this.disposed) return;
    this.finishPaste();
    if (this.asideTimer) this.storeAside();
    clearTimeout(this.saveTimer);
    this.saveTimer = 0;
    if (saveDraft(this.draft())) {
      if (this.notice.dataset.kind === "storage") this.setNotice("");
    } else {
      const lost = "This browser would not store the draft; it will be lost on reload.";
      this.setNotice(lost, "storage");
    }
  }

  /**
   * @param {string} text
   * @param {string} [kind]
   */
  setNotice(text, kind = "") {
    this.notice.textContent = text;
    this.notice.dataset.kind = kind;
  }

  fitSubject() {
    // One line that grows when a long subject wraps.
    this.subject.style.height = "auto";
    const { scrollHeight, offsetHeight, clientHeight } = this.subject;
    this.subject.style.height = `${scrollHeight + offsetHeight - clientHeight}px`;
  }

  /** @param {Field} field */
  updateCount(field) {
    const count = this.highlighters[field].codePoints;
    this.lengths[field] = count;
    const node = this.counts[field];
    // The limits are the checker's, written into the count's data attributes by the page.
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
    if (node.dataset.state !== state) node.dataset.state = state;
  }

  updateActions() {
    const shown = !!this.view.shown;
    this.copyText.disabled = !shown;
    this.copyMarkdown.disabled = !shown;
  }

  /** Checks the current draft; one request at a time, and only the newest draft's result shows. */
  check() {
    if (this.disposed || !this.worker.ready) return;
    clearTimeout(this.checkTimer);
    this.checkTimer = 0;
    const draft = this.draft();
    if (!draft.subject && !draft.body) {
      this.reportDraft = null;
      this.view.clear();
      this.highlighters.subject.show("", []);
      this.highlighters.body.show("", []);
      this.view.setStatus(
        "Type or paste a draft, or try an example: the result appears here as you write.",
      );
      this.updateActions();
      this.updateScoreBar();
      return;
    }
    if (this.inFlight) return; // the reply's handler checks the newest draft
    this.send(draft);
  }

  /** @param {Draft} draft */
  async send(draft) {
    this.inFlight = true;
    this.view.result.dataset.checking = "true";
    const sentAt = performance.now();
    const inputAt = this.lastInputAt || sentAt;
    /** @type {CheckResult | null} */
    let result = null;
    /** @type {unknown} */
    let error = null;
    try {
      result = await this.worker.check(draft);
    } catch (caught) {
      error = caught;
    }
    this.inFlight = false;
    delete this.view.result.dataset.checking;
    if (this.disposed) return;
    if (!sameDraft(this.draft(), draft)) {
      // A newer edit: check it now, unless its wait has not run out yet.
      if (!this.checkTimer) this.check();
      return;
    }
    if (error || !result) {
      if (!this.worker.failed) {
        this.view.clear();
        this.view.setStatus(`The checker failed on this draft: ${reason(error)}`);
        this.updateActions();
      }
      return;
    }
    const receivedAt = performance.now();
    this.render(result, draft);
    const renderedAt = performance.now();
    performance.measure("inmail:worker", { start: sentAt, end: receivedAt });
    performance.measure("inmail:check+render", { start: sentAt, end: renderedAt });
    performance.measure("inmail:input-to-result", { start: inputAt, end: renderedAt });
  }

  /**
   * @param {CheckResult} result
   * @param {Draft} draft
   */
  render(result, draft) {
    this.reportDraft = draft;
    this.highlighters.subject.show(draft.subject, result.segments.subject);
    this.highlighters.body.show(draft.body, result.segments.body);
    this.highlighters.subject.select(null);
    this.highlighters.body.select(null);
    this.view.show(result);
    this.updateActions();
    this.updateScoreBar();
  }

  /**
   * Selects the words of one place of a finding (or strength) in the draft.
   * @param {"findings" | "strengths"} kind
   * @param {number} index
   * @param {number} spanIndex
   */
  select(kind, index, spanIndex) {
    const report = this.view.shown?.report;
    const item = report?.[kind][index];
    if (!item || !this.reportDraft) return;
    const span = item.spans[spanIndex] ?? item.spans[0];
    const field = span?.field ?? item.field;
    const textarea = field === "subject" ? this.subject : this.body;
    for (const [name, highlighter] of Object.entries(this.highlighters)) {
      highlighter.select(name === field ? { kind, index } : null);
    }
    for (const card of this.root.querySelectorAll(".is-selected")) {
      card.classList.remove("is-selected");
    }
    this.root.querySelector(`[data-rule="${CSS.escape(item.rule)}"]`)?.classList.add("is-selected");
    textarea.focus({ preventScroll: true });
    const base = this.reportDraft[field];
    const words = span ? base.slice(span.start_utf16, span.end_utf16) : "";
    if (span && textarea.value.slice(span.start_utf16, span.end_utf16) === words) {
      textarea.setSelectionRange(span.start_utf16, span.end_utf16, "forward");
      this.highlighters[field].reveal(span.start_utf16);
    }
    textarea.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  /**
   * Applies a finding's suggested rewrites: one edit per field, which Ctrl+Z undoes. The caret
   * stays where it was (moved along with the text); where a rewrite leaves something for the
   * writer to fill in, the caret goes there and the page says what to type.
   * @param {number} index
   */
  apply(index) {
    const finding = this.view.shown?.report.findings[index];
    const base = this.reportDraft;
    if (!finding || !base || !finding.rewrites.length) return;
    /** @type {string[]} */
    const fills = [];
    for (const field of /** @type {Field[]} */ (["subject", "body"])) {
      const rewrites = finding.rewrites
        .filter((rewrite) => rewrite.span.field === field)
        .sort((a, b) => a.span.start_utf16 - b.span.start_utf16);
      if (!rewrites.length) continue;
      const textarea = field === "subject" ? this.subject : this.body;
      const applied = this.applyTo(textarea, base[field], rewrites);
      if (applied === null) {
        this.setNotice(
          "The draft changed since this suggestion was made; it will be back with the next result.",
        );
        return;
      }
      fills.push(...applied);
    }
    const done = `Applied: ${finding.title.toLowerCase()}.`;
    this.setNotice(fills.length ? `${done} Now type ${fills[0]}.` : `${done} Ctrl+Z undoes it.`);
  }

  /**
   * @param {HTMLTextAreaElement} textarea
   * @param {string} base the field's text the report was made for
   * @param {Rewrite[]} rewrites sorted by place
   * @returns {string[] | null} what the writer is asked to type; null when the text changed
   */
  applyTo(textarea, base, rewrites) {
    this.finishPaste();
    const current = textarea.value;
    /** @type {Rewrite[]} */
    const usable = [];
    let end = -1;
    for (const rewrite of rewrites) {
      const { start_utf16: start, end_utf16: stop } = rewrite.span;
      if (start < end) continue; // overlaps the one before: the next report offers it again
      if (stop > current.length || current.slice(start, stop) !== base.slice(start, stop)) {
        return null;
      }
      usable.push(rewrite);
      end = stop;
    }
    const from = usable[0].span.start_utf16;
    const to = usable[usable.length - 1].span.end_utf16;
    let replacement = "";
    let position = from;
    /** @type {number | null} */
    let fillAt = null;
    /** @type {string[]} */
    const fills = [];
    for (const rewrite of usable) {
      replacement += current.slice(position, rewrite.span.start_utf16) + rewrite.text;
      position = rewrite.span.end_utf16;
      if (rewrite.fill_in) {
        fills.push(rewrite.fill_in);
        fillAt ??= from + replacement.length;
      }
    }
    const delta = replacement.length - (to - from);
    /** @param {number} at */
    const moved = (at) => (at <= from ? at : at >= to ? at + delta : from + replacement.length);
    const caret = [moved(textarea.selectionStart), moved(textarea.selectionEnd)];
    const { scrollTop } = textarea;
    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(from, to);
    insertText(textarea, replacement);
    if (fillAt !== null) textarea.setSelectionRange(fillAt, fillAt);
    else textarea.setSelectionRange(caret[0], caret[1]);
    if (fillAt === null) textarea.scrollTop = scrollTop;
    this.highlighters[textarea === this.subject ? "subject" : "body"].syncScroll();
    return fills;
  }

  // --- Pastes too long to check -------------------------------------------------------------

  /**
   * A paste that would take a field past what the checker reads: the field takes what fits and
   * the rest is set aside, said in a notice and kept in this browser to copy or save. A
   * textarea holding a megabyte blocks the page for half a second or more while the browser
   * lays its text out (a bare textarea does the same), whatever the page does; the checker
   * would not read that text anyway. Any smaller paste is left to the browser, and its undo.
   * Text dropped into a field is taken the same way (where the cursor is: a textarea does not
   * say where a drop lands).
   * @param {Field} field
   * @param {Event} event
   */
  pasted(field, event) {
    const dropped = event instanceof DragEvent;
    const data =
      event instanceof ClipboardEvent ? event.clipboardData : dropped ? event.dataTransfer : null;
    const raw = data?.getData("text/plain") ?? "";
    this.finishPaste();
    if (this.asideTimer) this.storeAside(); // the one before: its timer is this one's now
    const textarea = this.textareaOf(field);
    const limit = this.checkedLimit;
    const { selectionStart: from, selectionEnd: to } = textarea;
    const current = textarea.value;
    // UTF-16 units are never fewer than code points: a paste this short fits.
    if (current.length - (to - from) + raw.length <= limit) return;
    const text = raw.replace(/\r\n?/g, "\n"); // as a textarea stores line breaks
    const replaced = current.slice(from, to);
    const room = Math.max(0, limit - codePointLength(current) + codePointLength(replaced));
    const [head, rest] = splitAt(text, room);
    if (!rest) return;
    event.preventDefault();
    const aside = this.aside;
    // The browser cannot undo a paste made this way, so Ctrl+Z is the page's (undoLargePaste).
    this.largePaste = { field, from, replaced, inserted: head.length, after: null, aside };
    this.aside = aside ? `${aside}\n\n${rest}` : rest;
    textarea.readOnly = true;
    this.pasting = { textarea, text: head, at: 0, position: from, end: to, timer: 0 };
    this.pasteStep();
    // Counting and storing the rest waits for a task of its own too.
    this.asideTimer = window.setTimeout(() => {
      this.storeAside();
      const format = numberFormat.format.bind(numberFormat);
      const restPoints = aside ? codePointLength(rest) : this.asidePoints;
      const why = `the checker reads ${format(limit)} characters of a field`;
      this.setNotice(
        room
          ? `${dropped ? "Dropped" : "Pasted"} the first ${format(room)} of ` +
              `${format(room + restPoints)} characters${dropped ? " where the cursor was" : ""}: ` +
              `${why}. The other ${format(restPoints)} are set aside below. ` +
              "Ctrl+Z undoes the paste."
          : `Nothing ${dropped ? "dropped" : "pasted"}: ${why} and this one is full. ` +
              `The ${format(restPoints)} ` +
              "characters are set aside below. Ctrl+Z undoes the paste.",
      );
    }, 0);
  }

  /** Puts the next piece of the paste under way into its field. */
  pasteStep() {
    const job = this.pasting;
    if (!job) return;
    const { textarea, text } = job;
    let stop = Math.min(text.length, job.at + PASTE_PIECE);
    const unit = text.charCodeAt(stop - 1);
    if (stop < text.length && unit >= 0xd800 && unit <= 0xdbff) stop -= 1; // not within a pair
    // setRangeText, not execCommand("insertText"), which takes seconds for 100,000 characters.
    textarea.setRangeText(text.slice(job.at, stop), job.position, job.end, "end");
    job.position += stop - job.at;
    job.end = job.position;
    job.at = stop;
    textarea.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertFromPaste" }));
    if (job.at < text.length) {
      job.timer = window.setTimeout(() => this.pasteStep(), 0);
      return;
    }
    this.pasting = null;
    textarea.readOnly = false;
    if (this.largePaste) this.largePaste.after = textarea.value;
  }

  /** Puts the rest of a paste under way into its field at once (before anything else edits). */
  finishPaste() {
    while (this.pasting) {
      clearTimeout(this.pasting.timer);
      this.pasteStep();
    }
  }

  /**
   * Ctrl+Z (⌘Z) when the field is as a paste cut at the limit left it: undoes that paste.
   * @param {Field} field
   * @param {Event} event
   */
  undoLargePaste(field, event) {
    const record = this.largePaste;
    if (!record || record.field !== field || !(event instanceof KeyboardEvent)) return;
    const undo = (event.ctrlKey || event.metaKey) && !event.shiftKey && !event.altKey;
    if (!undo || event.key.toLowerCase() !== "z") return;
    const textarea = this.textareaOf(field);
    if (textarea.value !== record.after) return; // edited since: the browser's own undo
    event.preventDefault();
    this.largePaste = null;
    textarea.setRangeText(record.replaced, record.from, record.from + record.inserted, "select");
    textarea.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "historyUndo" }));
    this.setAside(record.aside);
    this.setNotice("Paste undone, with the text it set aside.");
  }

  /** @param {string} text the whole set-aside text, "" for none */
  setAside(text) {
    this.aside = text;
    this.storeAside();
  }

  storeAside() {
    clearTimeout(this.asideTimer);
    this.asideTimer = 0;
    this.asideStored = saveAside(this.aside);
    this.showAside();
  }

  showAside() {
    const { panel, text } = this.asideView;
    panel.hidden = !this.aside;
    if (!this.aside) {
      this.asidePoints = 0;
      text.textContent = "";
      return;
    }
    this.asidePoints = codePointLength(this.aside);
    const count = numberFormat.format(this.asidePoints);
    const kept = this.asideStored
      ? "They stay in this browser until you discard them or clear the draft."
      : "This browser would not store them: copy them or save them before you leave.";
    text.textContent =
      `Set aside: ${count} pasted characters past the ` +
      `${numberFormat.format(this.checkedLimit)} the checker reads. ${kept}`;
  }

  async copyAside() {
    try {
      await navigator.clipboard.writeText(this.aside);
      const count = numberFormat.format(this.asidePoints);
      this.setNotice(`Copied the ${count} set-aside characters to the clipboard.`);
    } catch {
      this.setNotice("This browser would not let the page copy; save the text as a file instead.");
    }
  }

  saveAsideFile() {
    const url = URL.createObjectURL(new Blob([this.aside], { type: "text/plain;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = ASIDE_FILE;
    link.hidden = true;
    this.root.append(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    this.setNotice(`Saving the set-aside text as ${ASIDE_FILE}.`);
  }

  discardAside() {
    this.setAside("");
    this.setNotice("Set-aside text discarded.");
    this.body.focus();
  }

  // --- Examples ------------------------------------------------------------------------------

  setUpExamples() {
    this.listen(this.examples, "click", (event) => {
      const target = event.target instanceof Element ? event.target : null;
      const button = target?.closest("button");
      if (!(button instanceof HTMLButtonElement)) return;
      if (button.dataset.example) this.pickExample(button.dataset.example);
      else if (button.id === "inmail-examples-replace" && this.pendingExample) {
        this.loadExample(this.pendingExample);
      } else if (button.id === "inmail-examples-keep") {
        this.closeExamples();
        this.setNotice("Your draft is unchanged.");
      }
    });
    this.listen(this.examples, "keydown", (event) => {
      if (event instanceof KeyboardEvent && event.key === "Escape" && this.examples.open) {
        event.preventDefault();
        this.closeExamples();
      }
    });
    this.listen(this.examples, "toggle", () => {
      if (!this.examples.open) this.hideExampleQuestion();
    });
    this.listen(document, "click", (event) => {
      const outside = event.target instanceof Node && !this.examples.contains(event.target);
      if (this.examples.open && outside) {
        this.examples.open = false;
      }
    });
  }

  /** @param {string} id */
  pickExample(id) {
    const example = this.exampleDrafts.find((candidate) => candidate.id === id);
    if (!example) return;
    const draft = this.draft();
    const untouched =
      (!draft.subject && !draft.body) ||
      this.exampleDrafts.some(
        (other) => other.subject === draft.subject && other.body === draft.body,
      );
    if (untouched) {
      this.loadExample(example);
      return;
    }
    // Never overwrite a draft without asking.
    this.pendingExample = example;
    this.examplesQuestion.textContent =
      `Replace your draft with the example “${example.label}”? ` +
      "Your draft goes, though Ctrl+Z in each field brings it back.";
    this.examplesConfirm.hidden = false;
    this.examplesQuestion.focus();
  }

  hideExampleQuestion() {
    this.pendingExample = null;
    this.examplesConfirm.hidden = true;
  }

  closeExamples() {
    this.hideExampleQuestion();
    this.examples.open = false;
    const summary = this.examples.querySelector("summary");
    summary?.focus();
  }

  /** @param {Example} example */
  loadExample(example) {
    this.finishPaste();
    this.hideExampleQuestion();
    this.examples.open = false;
    this.setContext(this.cleanContext(example.context));
    for (const [textarea, text] of /** @type {[HTMLTextAreaElement, string][]} */ ([
      [this.subject, example.subject],
      [this.body, example.body],
    ])) {
      textarea.focus({ preventScroll: true });
      textarea.select();
      insertText(textarea, text);
    }
    this.body.setSelectionRange(0, 0);
    this.body.scrollTop = 0;
    this.highlighters.body.syncScroll();
    this.contextChanged();
    this.setNotice(`Loaded the example “${example.label}”.`);
  }

  // --- Actions -------------------------------------------------------------------------------

  /** @param {boolean} markdown */
  async copy(markdown) {
    if (!this.view.shown) return;
    let text = "";
    try {
      text = await this.worker.reportText(this.draft(), markdown);
    } catch (error) {
      this.setNotice(`The report could not be made: ${reason(error)}`);
      return;
    }
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch {
      copied = this.copyWithSelection(text);
    }
    const what = markdown
      ? "Report copied to the clipboard, in Markdown."
      : "Report copied to the clipboard.";
    const refused =
      "This browser would not let the page copy; select the findings and copy them instead.";
    this.setNotice(copied ? what : refused);
  }

  /** @param {string} text */
  copyWithSelection(text) {
    const scratch = document.createElement("textarea");
    scratch.className = "inmail-scratch";
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
    this.finishPaste();
    // Deleting through the editing commands keeps the browser's undo (Ctrl+Z) able to bring
    // the text back; where that is not available the fields are simply emptied.
    for (const field of [this.body, this.subject]) {
      if (!field.value) continue;
      field.focus();
      field.select();
      insertText(field, "");
      if (field.value) {
        field.value = "";
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
    }
    this.setContext(this.defaultContext());
    this.flushSave();
    const hadAside = !!this.aside;
    this.largePaste = null;
    this.setAside("");
    clearTimeout(this.checkTimer);
    this.check();
    this.setNotice(
      hadAside
        ? "Draft and set-aside text cleared and removed from this browser."
        : "Draft cleared and removed from this browser.",
    );
    this.subject.focus();
  }

  // --- The score bar (narrow screens) --------------------------------------------------------

  setUpScoreBar() {
    const narrow = window.matchMedia(NARROW);
    let checkerInView = false;
    let headInView = true;
    const update = () => {
      const wanted = narrow.matches && checkerInView && !headInView && !!this.view.shown;
      if (this.bar.hidden === wanted) this.bar.hidden = !wanted;
    };
    this.updateScoreBar = update;
    const observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        if (entry.target === this.root) checkerInView = entry.isIntersecting;
        else headInView = entry.isIntersecting;
      }
      update();
    });
    observer.observe(this.root);
    observer.observe(this.resultHead);
    this.listen(narrow, "change", update);
    this.cleanups.push(() => observer.disconnect());
    // Above the on-screen keyboard: the visual viewport is what the keyboard leaves.
    const viewport = window.visualViewport;
    if (viewport) {
      const place = () => {
        const hidden = Math.max(0, window.innerHeight - viewport.height - viewport.offsetTop);
        this.bar.style.bottom = hidden ? `${hidden}px` : "";
      };
      this.listen(viewport, "resize", place);
      this.listen(viewport, "scroll", place);
    }
  }
}

// --- Start-up --------------------------------------------------------------------------------

/** @type {CheckerPage | null} */
let page = null;

/**
 * Binds the checker to ``root`` (the page's #inmail-checker), or unbinds it when null.
 * @param {HTMLElement | null} root
 */
export function mount(root) {
  if (page && page.root === root) return;
  page?.dispose();
  page = root ? new CheckerPage(root, checkerWorker()) : null;
}
