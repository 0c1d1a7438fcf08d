// Highlights behind a textarea, kept cheap at any size.
//
// A mirror of the textarea's text is drawn behind it (the textarea's background is
// transparent), with the flagged words wrapped in <mark>. The textarea keeps native editing,
// undo, spell checking and IME; the mirror only paints. The mirror holds one block per line of
// the text, so that an edit rebuilds only the lines it touched and the browser lays out only
// those again, and it holds the text only as far as the last mark, and never past what the
// checker reads (the ``paintLimit``): past it there is nothing to paint, so typing after the
// last mark costs the mirror nothing, and a pasted megabyte is laid out once, by the textarea,
// not twice. Marks arrive as the checker's segments; between two reports an edit keeps the
// marks before and after it in place and drops the ones it touched.

/** @typedef {import("./protocol.mjs").Segment} Segment */

/**
 * A mark within one line, in UTF-16 units from the line's start.
 * @typedef {object} Piece
 * @property {number} from
 * @property {number} to
 * @property {Segment} segment
 */

const CHUNK = 2048;

/**
 * Start offsets of the lines of ``text`` (a line ends before its "\n").
 * @param {string} text
 */
function lineStarts(text) {
  const starts = [0];
  let at = text.indexOf("\n");
  while (at !== -1) {
    starts.push(at + 1);
    at = text.indexOf("\n", at + 1);
  }
  return starts;
}

/**
 * The index of the last item of ``sorted`` at or below ``value``.
 * @param {number[]} sorted
 * @param {number} value
 */
function floorIndex(sorted, value) {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (sorted[middle] <= value) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * Length of the common prefix of two strings, compared a chunk at a time.
 * @param {string} a
 * @param {string} b
 */
function commonPrefix(a, b) {
  const shortest = Math.min(a.length, b.length);
  let at = 0;
  while (at + CHUNK <= shortest && a.slice(at, at + CHUNK) === b.slice(at, at + CHUNK)) {
    at += CHUNK;
  }
  while (at < shortest && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/**
 * Length of the common suffix of two strings, not reaching into their first ``prefix`` units.
 * @param {string} a
 * @param {string} b
 * @param {number} prefix
 */
function commonSuffix(a, b, prefix) {
  const most = Math.min(a.length, b.length) - prefix;
  let size = 0;
  while (
    size + CHUNK <= most &&
    a.slice(a.length - size - CHUNK, a.length - size) ===
      b.slice(b.length - size - CHUNK, b.length - size)
  ) {
    size += CHUNK;
  }
  while (size < most && a.charCodeAt(a.length - 1 - size) === b.charCodeAt(b.length - 1 - size)) {
    size++;
  }
  return size;
}

/** @param {number} unit */
const isHigh = (unit) => unit >= 0xd800 && unit <= 0xdbff;
/** @param {number} unit */
const isLow = (unit) => unit >= 0xdc00 && unit <= 0xdfff;

/**
 * The surrogate pairs (astral characters) of ``text`` in [from, to), which must not cut one.
 * @param {string} text
 * @param {number} from
 * @param {number} to
 */
function pairsIn(text, from, to) {
  let pairs = 0;
  for (let at = from; at < to - 1; at++) {
    if (isHigh(text.charCodeAt(at)) && isLow(text.charCodeAt(at + 1))) {
      pairs++;
      at++;
    }
  }
  return pairs;
}

/**
 * The length of ``text`` in code points, as Python's len() counts (a lone surrogate is one).
 * @param {string} text
 */
export function codePointLength(text) {
  return text.length - pairsIn(text, 0, text.length);
}

/**
 * The UTF-16 length of the first ``codePoints`` code points of ``text`` (Python's len()
 * counts code points; the checker reads that many).
 * @param {string} text
 * @param {number} codePoints
 */
export function utf16Length(text, codePoints) {
  let units = 0;
  let points = 0;
  while (points < codePoints && units < text.length) {
    const unit = text.charCodeAt(units);
    const next = text.charCodeAt(units + 1);
    units += unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
    points++;
  }
  return units;
}

export class Highlighter {
  /**
   * @param {HTMLTextAreaElement} textarea
   * @param {HTMLElement} backdrop
   */
  constructor(textarea, backdrop) {
    this.textarea = textarea;
    this.backdrop = backdrop;
    this.layer = document.createElement("div");
    this.layer.className = "inmail-editor__layer";
    backdrop.replaceChildren(this.layer);
    this.text = "";
    /** Surrogate pairs in the text: its length in code points is its length minus these. */
    this.pairs = 0;
    /** @type {number[]} */
    this.starts = [0];
    /** Code points of the text that the checker reads; the mirror stops there. */
    this.paintLimit = Infinity;
    this.paintEnd = 0;
    /** @type {Segment[]} sorted, not overlapping */
    this.segments = [];
    /** @type {HTMLElement[]} one per painted line */
    this.lines = [];
    /** @type {string[]} what each painted line shows, to skip the unchanged ones */
    this.keys = [];
    /** @type {{kind: "findings" | "strengths", index: number} | null} */
    this.active = null;
    this.onScroll = () => this.syncScroll();
    textarea.addEventListener("scroll", this.onScroll, { passive: true });
    this.appendLine(0);
  }

  dispose() {
    this.textarea.removeEventListener("scroll", this.onScroll);
  }

  /** The text's length in code points, as Python's len() counts (a lone surrogate is one). */
  get codePoints() {
    return this.text.length - this.pairs;
  }

  syncScroll() {
    const { scrollLeft, scrollTop } = this.textarea;
    this.layer.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
  }

  /**
   * The text and its marks, as a report gave them.
   * @param {string} text
   * @param {Segment[]} segments
   */
  show(text, segments) {
    this.edit(text);
    this.setSegments(segments);
  }

  /** @param {number} codePoints */
  setPaintLimit(codePoints) {
    if (codePoints === this.paintLimit) return;
    this.paintLimit = codePoints;
    this.repaintAll();
  }

  /**
   * The end of the painted text, in UTF-16 units: the end of the last mark (past it there is
   * nothing to paint), and never past the text the checker reads.
   */
  computePaintEnd() {
    const { text, segments } = this;
    const marked = segments.length ? segments[segments.length - 1].end : 0;
    const end = Math.min(text.length, marked);
    // The limit counts code points: a text no longer than it in UTF-16 units is within it.
    if (end <= this.paintLimit) return end;
    return Math.min(end, utf16Length(text, this.paintLimit));
  }

  /** Lines that start before the paint end (always at least one). */
  paintedLineCount() {
    if (this.paintEnd >= this.text.length) return this.starts.length;
    return floorIndex(this.starts, this.paintEnd) + 1;
  }

  /**
   * Keeps the mirror and the marks in step with an edit, until the next report arrives: only
   * the lines the edit touched are built again, marks it touched are dropped, the ones after
   * it move with the text.
   * @param {string} text
   */
  edit(text) {
    const before = this.text;
    if (text === before) return;
    const prefix = commonPrefix(before, text);
    const suffix = commonSuffix(before, text, prefix);
    const oldEnd = before.length - suffix;
    const newEnd = text.length - suffix;
    const delta = text.length - before.length;
    // The count of astral characters changes only where the text did (the edges widened so
    // that no pair is cut): a keystroke in a megabyte costs no pass over it.
    const from = prefix > 0 && isHigh(before.charCodeAt(prefix - 1)) ? prefix - 1 : prefix;
    const widen = isLow(before.charCodeAt(oldEnd)) ? 1 : 0;
    this.pairs += pairsIn(text, from, newEnd + widen) - pairsIn(before, from, oldEnd + widen);
    /** @type {Segment[]} */
    const kept = [];
    for (const segment of this.segments) {
      if (segment.end <= prefix) kept.push(segment);
      else if (segment.start >= oldEnd) {
        kept.push({ ...segment, start: segment.start + delta, end: segment.end + delta });
      }
    }
    this.segments = kept;
    const oldStarts = this.starts;
    const wasTruncated = this.paintEnd < before.length;
    const first = floorIndex(oldStarts, prefix);
    const lastOld = floorIndex(oldStarts, oldEnd);
    this.text = text;
    this.starts = lineStarts(text);
    this.paintEnd = this.computePaintEnd();
    const lastNew = floorIndex(this.starts, newEnd);
    const painted = this.paintedLineCount();

    // Replace the touched lines that are painted with the new lines that are.
    const removeTo = Math.min(lastOld, this.lines.length - 1);
    // Lines past the painted ones are left to fitPaintedLines, which adds them in order.
    if (first < this.lines.length) {
      const anchor = this.lines[removeTo + 1] ?? null;
      for (let index = first; index <= removeTo; index++) this.lines[index].remove();
      /** @type {HTMLElement[]} */
      const created = [];
      /** @type {string[]} */
      const keys = [];
      for (let index = first; index <= Math.min(lastNew, painted - 1); index++) {
        const [line, key] = this.buildLine(index);
        created.push(line);
        keys.push(key);
      }
      if (created.length) this.layer.insertBefore(fragmentOf(created), anchor);
      const removed = Math.max(0, removeTo - first + 1);
      this.lines.splice(first, removed, ...created);
      this.keys.splice(first, removed, ...keys);
    }
    this.fitPaintedLines(painted, wasTruncated);
  }

  /**
   * After an edit: as many line blocks as lines are painted, the last one cut at the paint end.
   * @param {number} painted
   * @param {boolean} wasTruncated
   */
  fitPaintedLines(painted, wasTruncated) {
    while (this.lines.length > painted) {
      this.lines.pop()?.remove();
      this.keys.pop();
    }
    const before = this.lines.length;
    // The last line may have been cut at the old paint end: whole now that more follow.
    if (before < painted && before > 0 && wasTruncated) this.refreshLine(before - 1);
    while (this.lines.length < painted) this.appendLine(this.lines.length);
    if (wasTruncated || this.paintEnd < this.text.length) this.refreshLine(painted - 1);
  }

  /**
   * Builds line ``index`` again if what it shows changed (its length or its marks).
   * @param {number} index
   */
  refreshLine(index) {
    if (this.keyOf(index, this.piecesOf(index)) !== this.keys[index]) this.renderLine(index);
  }

  /** @param {number} index */
  appendLine(index) {
    const [line, key] = this.buildLine(index);
    this.layer.append(line);
    this.lines.push(line);
    this.keys.push(key);
  }

  /**
   * @param {number} index
   * @returns {[number, number]} the painted part of line ``index``, in UTF-16 units
   */
  lineBounds(index) {
    const start = this.starts[index] ?? this.text.length;
    const next = this.starts[index + 1];
    const end = next === undefined ? this.text.length : next - 1;
    return [start, Math.max(start, Math.min(end, this.paintEnd))];
  }

  /**
   * The marks of line ``index``, and whether one mark region covers all of it.
   * @param {number} index
   * @returns {{pieces: Piece[], whole: Segment | null}}
   */
  piecesOf(index) {
    const [start, end] = this.lineBounds(index);
    const { segments } = this;
    /** @type {Piece[]} */
    const pieces = [];
    /** @type {Segment | null} */
    let whole = null;
    // The first segment that ends after the line starts.
    let low = 0;
    let high = segments.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (segments[middle].end <= start) low = middle + 1;
      else high = middle;
    }
    for (let at = low; at < segments.length && segments[at].start <= end; at++) {
      const segment = segments[at];
      if (segment.region && segment.start <= start && segment.end >= end) {
        // A long region (text past a length limit): painted as the line's own background, so
        // its text is not laid out again.
        whole = segment;
        continue;
      }
      const from = Math.max(segment.start, start) - start;
      const to = Math.min(segment.end, end) - start;
      if (to > from) pieces.push({ from, to, segment });
    }
    return { pieces, whole };
  }

  /**
   * @param {number} index
   * @param {{pieces: Piece[], whole: Segment | null}} marks
   */
  keyOf(index, { pieces, whole }) {
    const [start, end] = this.lineBounds(index);
    const parts = [String(end - start)];
    if (whole) parts.push(`w${segmentKey(whole)}`);
    for (const { from, to, segment } of pieces) parts.push(`${from}:${to}:${segmentKey(segment)}`);
    return parts.join("|");
  }

  /**
   * @param {number} index
   * @returns {[HTMLElement, string]}
   */
  buildLine(index) {
    const line = document.createElement("div");
    const key = this.fillLine(line, index);
    return [line, key];
  }

  /**
   * @param {HTMLElement} line
   * @param {number} index
   */
  fillLine(line, index) {
    const [start, end] = this.lineBounds(index);
    const marks = this.piecesOf(index);
    const text = this.text.slice(start, end);
    line.className = "inmail-line";
    delete line.dataset.findings;
    delete line.dataset.strengths;
    if (marks.whole) {
      line.className += ` inmail-line--region ${kindClass(marks.whole)}`;
      setIndexes(line, marks.whole);
      if (this.isActive(marks.whole)) line.classList.add("is-active");
    }
    if (!marks.pieces.length) {
      line.textContent = text;
    } else {
      /** @type {(Node | string)[]} */
      const children = [];
      let position = 0;
      for (const { from, to, segment } of marks.pieces) {
        if (from > position) children.push(text.slice(position, from));
        children.push(this.markOf(text.slice(from, to), segment, from));
        position = to;
      }
      if (position < text.length) children.push(text.slice(position));
      line.replaceChildren(...children);
    }
    return this.keyOf(index, marks);
  }

  /**
   * @param {string} piece
   * @param {Segment} segment
   * @param {number} from
   */
  markOf(piece, segment, from) {
    const mark = document.createElement("mark");
    mark.className = `inmail-hl ${kindClass(segment)}${segment.region ? " inmail-hl--region" : ""}`;
    setIndexes(mark, segment);
    mark.dataset.from = String(from);
    if (this.isActive(segment)) mark.classList.add("is-active");
    mark.textContent = piece;
    return mark;
  }

  /** @param {number} index */
  renderLine(index) {
    const line = this.lines[index];
    if (line) this.keys[index] = this.fillLine(line, index);
  }

  repaintAll() {
    this.paintEnd = this.computePaintEnd();
    this.layer.replaceChildren();
    this.lines = [];
    this.keys = [];
    const painted = this.paintedLineCount();
    while (this.lines.length < painted) this.appendLine(this.lines.length);
  }

  /**
   * The marks of a new report (for the text last given to ``edit``): only the lines whose
   * marks changed are built again.
   * @param {Segment[]} segments
   */
  setSegments(segments) {
    const size = this.text.length;
    this.segments = segments
      .filter((segment) => segment.start < segment.end && segment.end <= size)
      .sort((a, b) => a.start - b.start);
    const wasTruncated = this.paintEnd < size;
    this.paintEnd = this.computePaintEnd();
    this.fitPaintedLines(this.paintedLineCount(), wasTruncated);
    for (let index = 0; index < this.lines.length; index++) this.refreshLine(index);
  }

  /** @param {Segment} segment */
  isActive(segment) {
    const { active } = this;
    return active !== null && segment[active.kind].includes(active.index);
  }

  /**
   * Outlines the marks of one finding (or strength); null: none.
   * @param {{kind: "findings" | "strengths", index: number} | null} active
   */
  select(active) {
    this.active = active;
    for (const node of this.layer.querySelectorAll(".is-active")) {
      node.classList.remove("is-active");
    }
    if (!active) return;
    const attribute = active.kind === "findings" ? "data-findings" : "data-strengths";
    for (const node of this.layer.querySelectorAll(`[${attribute}~="${active.index}"]`)) {
      node.classList.add("is-active");
    }
  }

  /**
   * Scrolls the textarea so that the text at ``offset`` (UTF-16) sits in its upper third.
   * @param {number} offset
   */
  reveal(offset) {
    const index = floorIndex(this.starts, offset);
    const line = this.lines[index];
    if (!line) return;
    const within = offset - (this.starts[index] ?? 0);
    let top = line.offsetTop;
    let height = line.offsetHeight;
    for (const mark of line.querySelectorAll("mark")) {
      if (mark instanceof HTMLElement && Number(mark.dataset.from) <= within) {
        top = mark.offsetTop;
        height = mark.offsetHeight;
      }
    }
    const { scrollTop, clientHeight } = this.textarea;
    if (top < scrollTop || top + height > scrollTop + clientHeight) {
      this.textarea.scrollTop = Math.max(0, top - clientHeight / 3);
    }
    this.syncScroll();
  }
}

/** @param {Segment} segment */
function segmentKey(segment) {
  const { kind, findings, strengths, region } = segment;
  return `${kind}/${findings.join(",")}/${strengths.join(",")}/${region ? 1 : 0}`;
}

/** @param {Segment} segment */
function kindClass(segment) {
  return `inmail-hl--${segment.kind}`;
}

/**
 * @param {HTMLElement} node
 * @param {Segment} segment
 */
function setIndexes(node, segment) {
  if (segment.findings.length) node.dataset.findings = segment.findings.join(" ");
  if (segment.strengths.length) node.dataset.strengths = segment.strengths.join(" ");
}

/** @param {HTMLElement[]} nodes */
function fragmentOf(nodes) {
  const fragment = document.createDocumentFragment();
  fragment.append(...nodes);
  return fragment;
}
