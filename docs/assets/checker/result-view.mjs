// The result panel and the compact score bar: the score and verdict, the score's sum, one card
// per problem (its points, its places, its fix, a suggested rewrite to apply, why it matters),
// and the strengths. Cards are kept per rule from one report to the next, so that a card the
// reader opened, or a button that has the keyboard focus, survives the next keystroke's check.
//
// Everything the reader typed is shown with textContent only.

/** @typedef {import("./protocol.mjs").CheckResult} CheckResult */
/** @typedef {import("./protocol.mjs").CheckerInfo} CheckerInfo */
/** @typedef {import("./protocol.mjs").Finding} Finding */
/** @typedef {import("./protocol.mjs").Strength} Strength */
/** @typedef {import("./protocol.mjs").Report} Report */
/** @typedef {import("./protocol.mjs").Rewrite} Rewrite */
/** @typedef {import("./protocol.mjs").Span} Span */
/** @typedef {import("./protocol.mjs").Verdict} Verdict */

/**
 * What the page does when the reader picks something in the result.
 * @typedef {object} ResultActions
 * @property {(kind: "findings" | "strengths", index: number, span: number) => void} select
 * @property {(index: number) => void} apply
 */

/**
 * The elements of one problem's card, kept from one report to the next.
 * @typedef {object} Card
 * @property {HTMLLIElement} item
 * @property {HTMLElement} points
 * @property {HTMLElement} severity
 * @property {HTMLElement} title
 * @property {HTMLButtonElement} select
 * @property {HTMLElement} message
 * @property {HTMLElement} field
 * @property {HTMLElement} places
 * @property {HTMLElement} clues
 * @property {HTMLElement} fix
 * @property {HTMLElement} rewrite
 * @property {HTMLElement} changes
 * @property {HTMLButtonElement} apply
 * @property {HTMLDetailsElement} why
 * @property {HTMLElement} rationale
 * @property {HTMLAnchorElement} link
 */

/**
 * @typedef {object} StrengthItem
 * @property {HTMLLIElement} item
 * @property {HTMLElement} points
 * @property {HTMLElement} message
 * @property {HTMLElement} places
 */

// The words come from the checker (the worker's ready message); the icons are the page's.
const VERDICT_ICONS = { "looks-genuine": "✓", "needs-work": "!", "likely-spam": "✕" };
const SEEN_KEY = "inmail-checker.seen-rules";
const MAX_CHANGES_SHOWN = 4;
const OPEN_WHY_AT_ONCE = 2;
const numberFormat = new Intl.NumberFormat("en");

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * @param {number} count
 * @param {string} one
 * @param {string} many
 */
export function plural(count, one, many) {
  return `${numberFormat.format(count)} ${count === 1 ? one : many}`;
}

/** @param {number} points */
function signed(points, sign = "−") {
  return points ? `${sign}${numberFormat.format(points)}` : "0";
}

/** @param {string} text */
function quoted(text) {
  return `“${text}”`;
}

/**
 * A finding's text, with its select button's words: the message, then how many places.
 * @param {Finding} finding
 */
function countNote(finding) {
  return finding.count > 1 ? ` (${plural(finding.count, "place", "places")})` : "";
}

/** The rules whose "Why" the reader has already been shown once (in this browser). */
function loadSeen() {
  try {
    const saved = JSON.parse(localStorage.getItem(SEEN_KEY) ?? "[]");
    return new Set(Array.isArray(saved) ? saved.map(String) : []);
  } catch {
    return new Set();
  }
}

/**
 * Puts ``nodes`` into ``parent`` in this order, moving only what is out of place (moving a
 * node that holds the focus would drop it; moveBefore keeps it where the browser has it).
 * @param {HTMLElement} parent
 * @param {HTMLElement[]} nodes
 */
function arrange(parent, nodes) {
  const move = /** @type {((node: Node, child: Node | null) => void) | undefined} */ (
    /** @type {{moveBefore?: unknown}} */ (parent).moveBefore
  );
  let cursor = parent.firstElementChild;
  for (const node of nodes) {
    if (node === cursor) {
      cursor = cursor.nextElementSibling;
      continue;
    }
    if (node.parentNode === parent && typeof move === "function") move.call(parent, node, cursor);
    else parent.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
}

export class ResultView {
  /**
   * @param {HTMLElement} root the checker (#inmail-checker)
   * @param {ResultActions} actions
   */
  constructor(root, actions) {
    /** @param {string} id */
    const find = (id) => {
      const node = root.querySelector(`#${id}`);
      if (!(node instanceof HTMLElement)) throw new Error(`the checker's #${id} is missing`);
      return node;
    };
    this.actions = actions;
    this.result = find("inmail-result");
    this.score = find("inmail-score");
    this.verdict = find("inmail-verdict");
    this.updating = find("inmail-updating");
    this.status = find("inmail-status");
    this.details = find("inmail-details");
    this.sum = find("inmail-sum");
    this.findingsHeading = find("inmail-findings-heading");
    this.findings = find("inmail-findings");
    this.strengthsHeading = find("inmail-strengths-heading");
    this.strengths = find("inmail-strengths");
    this.bar = /** @type {HTMLAnchorElement} */ (find("inmail-scorebar"));
    this.barScore = find("inmail-scorebar-score");
    this.barVerdict = find("inmail-scorebar-verdict");
    this.barProblems = find("inmail-scorebar-problems");
    this.barUpdating = find("inmail-scorebar-updating");
    /** @type {{verdicts: Record<string, string>, severities: Record<string, string>}} */
    this.labels = { verdicts: {}, severities: {} };
    this.rulesUrl = "../rules/";
    /** @type {Map<string, Card>} */
    this.cards = new Map();
    /** @type {Map<string, StrengthItem>} */
    this.strengthItems = new Map();
    this.seen = loadSeen();
    this.lastAnnounced = "";
    /** @type {CheckResult | null} */
    this.shown = null;
    this.onClick = (/** @type {Event} */ event) => this.click(event);
    root.addEventListener("click", this.onClick);
    this.root = root;
  }

  dispose() {
    this.root.removeEventListener("click", this.onClick);
  }

  /** @param {CheckerInfo} info */
  setInfo(info) {
    this.labels = info.labels;
  }

  /** @param {string} url */
  setRulesUrl(url) {
    this.rulesUrl = url;
  }

  /** @param {Event} event */
  click(event) {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest("button[data-index]");
    if (!(button instanceof HTMLButtonElement) || !this.root.contains(button)) return;
    const index = Number(button.dataset.index);
    if (button.dataset.action === "apply") {
      this.actions.apply(index);
    } else if (button.dataset.action === "select") {
      const kind = button.dataset.kind === "strengths" ? "strengths" : "findings";
      this.actions.select(kind, index, Number(button.dataset.span ?? 0));
    }
  }

  /** @param {string} text */
  setStatus(text) {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  /**
   * Says whether the shown result is the current draft's; an older result stays on screen,
   * marked as updating, until the new one arrives.
   * @param {boolean} on
   */
  setUpdating(on) {
    const state = !this.shown ? "empty" : on ? "updating" : "current";
    if (this.result.dataset.state === state) return;
    this.result.dataset.state = state;
    this.result.classList.toggle("is-stale", state === "updating");
    this.updating.hidden = state !== "updating";
    this.barUpdating.hidden = state !== "updating";
    this.result.setAttribute("aria-busy", String(state === "updating"));
  }

  /** No result: nothing checked yet, an empty draft, or a checker that cannot run. */
  clear() {
    this.shown = null;
    this.lastAnnounced = "";
    this.result.dataset.score = "";
    this.result.dataset.verdict = "";
    this.result.classList.add("is-empty");
    this.score.textContent = "–";
    this.barScore.textContent = "–";
    this.setVerdict(null);
    this.barProblems.textContent = "";
    this.details.hidden = true;
    this.findings.replaceChildren();
    this.strengths.replaceChildren();
    this.cards.clear();
    this.strengthItems.clear();
    this.sum.textContent = "";
    this.setUpdating(false);
  }

  /** @param {Verdict | null} verdict */
  setVerdict(verdict) {
    /** @type {[HTMLElement, string][]} */
    const places = [
      [this.verdict, "inmail-verdict inmail-result__verdict"],
      [this.barVerdict, "inmail-verdict inmail-scorebar__verdict"],
    ];
    for (const [node, className] of places) {
      node.className = className + (verdict ? ` inmail-verdict--${verdict}` : "");
      node.replaceChildren();
      if (verdict) {
        const icon = element("span", "inmail-result__icon", VERDICT_ICONS[verdict]);
        icon.setAttribute("aria-hidden", "true");
        node.append(icon, element("span", "inmail-verdict__label", this.verdictLabel(verdict)));
      } else if (node === this.verdict) {
        node.append(element("span", "inmail-result__placeholder", "No result yet"));
      }
    }
  }

  /** @param {Verdict} verdict */
  verdictLabel(verdict) {
    return this.labels.verdicts[verdict] ?? verdict;
  }

  /** @param {CheckResult} result */
  show(result) {
    const { report } = result;
    this.shown = result;
    this.result.dataset.score = String(report.score);
    this.result.dataset.verdict = report.verdict;
    this.result.classList.remove("is-empty");
    this.score.textContent = String(report.score);
    this.barScore.textContent = String(report.score);
    this.setVerdict(report.verdict);
    this.barProblems.textContent = plural(report.findings.length, "problem", "problems");
    this.details.hidden = false;
    this.sum.textContent = `How the score adds up: ${result.sum}`;
    this.showFindings(report);
    this.showStrengths(report);
    this.setUpdating(false);
    const summary =
      `Score ${report.score} out of 100: ${this.verdictLabel(report.verdict).toLowerCase()}. ` +
      `${plural(report.findings.length, "problem", "problems")}, ` +
      `${plural(report.strengths.length, "strength", "strengths")}.`;
    if (summary !== this.lastAnnounced) {
      this.lastAnnounced = summary;
      this.setStatus(summary);
    }
  }

  /** @param {Report} report */
  showFindings(report) {
    const { findings } = report;
    this.findingsHeading.textContent = findings.length
      ? `Problems (${numberFormat.format(findings.length)})`
      : "Problems: none found";
    const live = new Set(findings.map((finding) => finding.rule));
    for (const rule of [...this.cards.keys()]) if (!live.has(rule)) this.cards.delete(rule);
    let opened = 0;
    const items = findings.map((finding, index) => {
      let card = this.cards.get(finding.rule);
      if (!card) {
        // A rule's "Why" is open the first time it is shown in this browser, for the first
        // few new ones of a result (so a long result stays short); later it is folded.
        const first = !this.seen.has(finding.rule) && opened < OPEN_WHY_AT_ONCE;
        if (first) opened++;
        card = this.createCard(finding, first);
        this.cards.set(finding.rule, card);
      }
      this.fillCard(card, finding, index);
      return card.item;
    });
    arrange(this.findings, items);
  }

  /**
   * @param {Finding} finding
   * @param {boolean} firstRead open its "Why", and remember that the reader has seen it
   */
  createCard(finding, firstRead) {
    const item = element("li", "inmail-finding");
    const head = element("p", "inmail-finding__head");
    const points = element("span", "inmail-points");
    const severity = element("span", "inmail-severity");
    const title = element("span", "inmail-finding__title");
    head.append(points, " ", severity, " ", title);
    const select = element("button", "inmail-finding__select");
    select.type = "button";
    select.dataset.action = "select";
    select.dataset.kind = "findings";
    const message = element("span", "inmail-finding__message");
    const field = element("span", "inmail-finding__field");
    select.append(message, " ", field);
    const places = element("p", "inmail-finding__places");
    const clues = element("p", "inmail-finding__clues");
    const fix = element("p", "inmail-finding__fix");
    const rewrite = element("div", "inmail-rewrite");
    const changes = element("p", "inmail-rewrite__changes");
    const apply = element("button", "inmail-apply");
    apply.type = "button";
    apply.dataset.action = "apply";
    rewrite.append(changes, apply);
    const why = element("details", "inmail-finding__why");
    const summary = element("summary", "", "Why it matters");
    const rationale = element("p", "inmail-finding__rationale");
    const link = element("a", "inmail-rule-link");
    const about = element("p", "inmail-finding__rule");
    about.append(link);
    why.append(summary, rationale, about);
    if (firstRead) {
      why.open = true;
      this.seen.add(finding.rule);
      try {
        localStorage.setItem(SEEN_KEY, JSON.stringify([...this.seen]));
      } catch {
        // Storage off: every rule stays new.
      }
    }
    item.append(head, select, places, clues, fix, rewrite, why);
    return {
      item,
      points,
      severity,
      title,
      select,
      message,
      field,
      places,
      clues,
      fix,
      rewrite,
      changes,
      apply,
      why,
      rationale,
      link,
    };
  }

  /**
   * @param {Card} card
   * @param {Finding} finding
   * @param {number} index
   */
  fillCard(card, finding, index) {
    const { item } = card;
    item.className = `inmail-finding inmail-finding--${finding.severity}`;
    item.dataset.rule = finding.rule;
    setText(card.points, signed(finding.points));
    card.points.dataset.points = String(finding.points);
    card.points.title = `${plural(finding.points, "point", "points")} off the score`;
    card.severity.className = `inmail-severity inmail-severity--${finding.severity}`;
    setText(card.severity, this.labels.severities[finding.severity] ?? finding.severity);
    setText(card.title, finding.title);
    card.select.dataset.index = String(index);
    card.select.dataset.span = "0";
    card.select.title = finding.spans.length
      ? "Select these words in the draft"
      : "Go to this field";
    setText(card.message, finding.message + countNote(finding));
    setText(card.field, finding.field === "subject" ? "Subject" : "Message");
    this.fillPlaces(card.places, "findings", index, finding.spans, finding.more);
    fillClues(card.clues, finding);
    if (!card.fix.firstChild) card.fix.append(element("strong", "", "Fix: "), "");
    setTail(card.fix, finding.fix);
    this.fillRewrite(card, finding, index);
    setText(card.rationale, finding.rationale);
    const url = new URL(this.rulesUrl, location.href);
    url.hash = finding.rule;
    if (card.link.href !== url.href) card.link.href = url.href;
    if (!card.link.firstChild) card.link.append("Rule ", element("code", "", finding.rule));
  }

  /**
   * Every place of a finding (or strength) found more than once, each a button that selects
   * its words.
   * @param {HTMLElement} places
   * @param {"findings" | "strengths"} kind
   * @param {number} index
   * @param {Span[]} spans
   * @param {number} more
   */
  fillPlaces(places, kind, index, spans, more) {
    places.hidden = spans.length < 2;
    if (places.hidden) {
      places.replaceChildren();
      return;
    }
    if (!places.firstChild) places.append(element("span", "inmail-places__label", "Found at: "));
    const buttons = /** @type {HTMLButtonElement[]} */ ([...places.querySelectorAll("button")]);
    spans.forEach((span, at) => {
      let button = buttons[at];
      if (!button) {
        button = element("button", "inmail-span");
        button.type = "button";
        button.dataset.action = "select";
        places.append(button, " ");
      }
      button.dataset.kind = kind;
      button.dataset.index = String(index);
      button.dataset.span = String(at);
      setText(button, quoted(span.text));
      button.setAttribute("aria-label", `Select place ${at + 1}: ${quoted(span.text)}`);
    });
    for (const extra of buttons.slice(spans.length)) {
      extra.nextSibling?.remove();
      extra.remove();
    }
    let note = places.querySelector(".inmail-places__more");
    if (more > 0) {
      note ??= places.appendChild(element("span", "inmail-places__more"));
      setText(/** @type {HTMLElement} */ (note), `and ${numberFormat.format(more)} more`);
    } else {
      note?.remove();
    }
  }

  /**
   * @param {Card} card
   * @param {Finding} finding
   * @param {number} index
   */
  fillRewrite(card, finding, index) {
    const { rewrites } = finding;
    card.rewrite.hidden = !rewrites.length;
    card.apply.dataset.index = String(index);
    if (!rewrites.length) return;
    const shown = rewrites.slice(0, MAX_CHANGES_SHOWN).map((rewrite) => change(rewrite));
    const rest = rewrites.length - shown.length;
    const label = rewrites.length > 1 ? "Suggested changes: " : "Suggested change: ";
    /** @type {(Node | string)[]} */
    const parts = [element("strong", "", label)];
    shown.forEach((piece, at) => parts.push(...(at ? ["; ", piece] : [piece])));
    if (rest > 0) parts.push(`; and ${numberFormat.format(rest)} more`);
    const key = JSON.stringify(
      rewrites.map((r) => [r.span.start_utf16, r.span.text, r.text, r.fill_in]),
    );
    if (card.changes.dataset.key !== key) {
      card.changes.dataset.key = key;
      card.changes.replaceChildren(...parts);
    }
    const visible = rewrites.length > 1 ? `Apply all ${rewrites.length}` : "Apply";
    setText(card.apply, visible);
    // The accessible name starts with the visible words (WCAG 2.5.3), then says which fix.
    const fill = rewrites.find((rewrite) => rewrite.fill_in);
    const then = fill ? `; then type ${fill.fill_in}` : "";
    card.apply.setAttribute("aria-label", `${visible}: ${finding.title}${then}`);
  }

  /** @param {Report} report */
  showStrengths(report) {
    const { strengths } = report;
    this.strengthsHeading.textContent = strengths.length
      ? `Strengths (${numberFormat.format(strengths.length)})`
      : "Strengths: none found yet";
    const live = new Set(strengths.map((strength) => strength.rule));
    for (const rule of [...this.strengthItems.keys()]) {
      if (!live.has(rule)) this.strengthItems.delete(rule);
    }
    const items = strengths.map((strength, index) => {
      let entry = this.strengthItems.get(strength.rule);
      if (!entry) {
        const item = element("li", "inmail-strength");
        const points = element("span", "inmail-bonus");
        const message = element("button", "inmail-strength__select");
        message.type = "button";
        message.dataset.action = "select";
        message.dataset.kind = "strengths";
        const places = element("p", "inmail-finding__places");
        item.append(points, " ", message, places);
        entry = { item, points, message, places };
        this.strengthItems.set(strength.rule, entry);
      }
      entry.item.dataset.rule = strength.rule;
      setText(entry.points, `+${numberFormat.format(strength.points)}`);
      entry.points.title = `${plural(strength.points, "point", "points")} added to the score`;
      setText(entry.message, strength.message);
      entry.message.dataset.index = String(index);
      entry.message.dataset.span = "0";
      this.fillPlaces(entry.places, "strengths", index, strength.spans, 0);
      return entry.item;
    });
    arrange(this.strengths, items);
  }

  /** Moves the keyboard focus to the result (the score bar's jump). */
  focus() {
    this.result.scrollIntoView({ block: "start", behavior: "smooth" });
    this.result.focus({ preventScroll: true });
  }
}

/**
 * "“old” → “new”", with what the writer types next shown as a placeholder.
 * @param {Rewrite} rewrite
 */
function change(rewrite) {
  const piece = element("span", "inmail-change");
  const before = element("del", "", quoted(rewrite.span.text));
  const after = element("ins");
  if (rewrite.text || rewrite.fill_in) {
    after.append("“", rewrite.text);
    if (rewrite.fill_in) {
      after.append(element("span", "inmail-fill-in", `⟨${rewrite.fill_in}⟩`));
    }
    after.append("”");
  } else {
    after.append("removed");
  }
  piece.append(before, " → ", after);
  return piece;
}

/**
 * @param {HTMLElement} node
 * @param {Finding} finding
 */
function fillClues(node, finding) {
  node.hidden = !finding.clues.length;
  if (node.hidden) return;
  const words = finding.clues.map((clue) => quoted(clue.text)).join(", ");
  setText(node, `Words behind it: ${words}.`);
}

/**
 * @param {Node} node
 * @param {string} text
 */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * Sets the text after a node's first child (a label).
 * @param {HTMLElement} node
 * @param {string} text
 */
function setTail(node, text) {
  const last = node.lastChild;
  if (last && last !== node.firstChild && last.nodeType === Node.TEXT_NODE) {
    if (last.textContent !== text) last.textContent = text;
  } else {
    node.append(text);
  }
}
