// Types only: the report the checker returns and the messages between the page and its Web
// Worker, as JSDoc that `tsc --checkJs` (make lint) checks every module against. The Python
// side of each type is named beside it; nothing here runs.

// --- The report (inmail_checker.report, one JSON shape: docs/schema.md) ----------------------

/** @typedef {"looks-genuine" | "needs-work" | "likely-spam"} Verdict */
/** @typedef {"low" | "medium" | "high"} Severity */
/** @typedef {"subject" | "body"} Field */
/** @typedef {"first" | "reply" | "follow-up"} Stage */
/** @typedef {"one" | "few" | "many"} Audience */

/**
 * What the writer says about the draft (report.Context): the page's three questions.
 * @typedef {object} DraftContext
 * @property {Stage} stage
 * @property {boolean} answered
 * @property {Audience} audience
 */

/**
 * A draft as the page sends it to be checked, and keeps it in the browser's storage.
 * @typedef {object} Draft
 * @property {string} subject
 * @property {string} body
 * @property {DraftContext} context
 */

/**
 * A place in the draft (report.Span): ``start_utf16``/``end_utf16`` index JavaScript strings.
 * @typedef {object} Span
 * @property {Field} field
 * @property {number} start
 * @property {number} end
 * @property {number} start_utf16
 * @property {number} end_utf16
 * @property {string} text
 */

/**
 * Suggested words for one span (report.Rewrite); ``fill_in`` names what the writer types next.
 * @typedef {object} Rewrite
 * @property {Span} span
 * @property {string} text
 * @property {string} fill_in
 */

/**
 * @typedef {object} Clue
 * @property {string} text
 * @property {number} points
 */

/**
 * One problem, one per rule, with every place it was found (report.Finding).
 * @typedef {object} Finding
 * @property {string} rule
 * @property {string} category
 * @property {Severity} severity
 * @property {string} title
 * @property {string} message
 * @property {string} rationale
 * @property {string} fix
 * @property {number} points
 * @property {Field} field
 * @property {number} count
 * @property {Span[]} spans
 * @property {number} more
 * @property {Rewrite[]} rewrites
 * @property {Clue[]} clues
 */

/**
 * @typedef {object} Strength
 * @property {string} rule
 * @property {string} title
 * @property {string} message
 * @property {number} points
 * @property {Field} field
 * @property {number} count
 * @property {Span[]} spans
 * @property {Clue[]} clues
 */

/**
 * @typedef {object} Term
 * @property {string} rule
 * @property {string} label
 * @property {number} points
 */

/**
 * @typedef {object} Breakdown
 * @property {number} start
 * @property {Term[]} terms
 * @property {number} total
 * @property {string[]} capped_by
 */

/**
 * @typedef {object} Report
 * @property {number} version
 * @property {number} score
 * @property {Verdict} verdict
 * @property {Finding[]} findings
 * @property {Strength[]} strengths
 * @property {Breakdown} breakdown
 * @property {DraftContext} context
 * @property {{subject_chars: number, body_chars: number, body_words: number}} stats
 */

/**
 * A stretch of a field that the same marks cover (web._painted), in UTF-16 units. ``findings``
 * and ``strengths`` index the report's lists.
 * @typedef {object} Segment
 * @property {number} start
 * @property {number} end
 * @property {Severity | "strength"} kind
 * @property {number[]} findings
 * @property {number[]} strengths
 * @property {boolean} region
 */

/**
 * What web.check_draft returns: the report, the score's sum in words, the marked segments.
 * @typedef {object} CheckResult
 * @property {Report} report
 * @property {string} sum
 * @property {{subject: Segment[], body: Segment[]}} segments
 */

/**
 * @typedef {object} RuleInfo
 * @property {string} id
 * @property {string} title
 * @property {string} category
 * @property {boolean} strength
 * @property {number} points
 */

/**
 * What web.ready returns: the checker's limits, words and rules, before the first check.
 * @typedef {object} CheckerInfo
 * @property {string} version
 * @property {{subject: number, body: number, body_safe: number, checked: number}} limits
 * @property {Record<string, number>} thresholds
 * @property {{verdicts: Record<Verdict, string>, severities: Record<Severity, string>,
 *   categories: Record<string, string>, stages: Record<Stage, string>,
 *   audiences: Record<Audience, string>}} labels
 * @property {RuleInfo[]} rules
 */

// --- The worker protocol ---------------------------------------------------------------------

/**
 * What the page asks; the worker answers each request with a reply carrying its ``id``, one
 * at a time, in order.
 * @typedef {{kind: "check", draft: Draft}
 *   | {kind: "report-text", draft: Draft, markdown: boolean}} WorkerQuestion
 */

/** @typedef {WorkerQuestion & {id: number}} WorkerRequest */

/**
 * The text each kind of request is answered with: JSON of a CheckResult for "check", the
 * report as the command line prints it (or in Markdown) for "report-text".
 * @typedef {{check: string, "report-text": string}} WorkerResults
 */

/**
 * @typedef {{id: number, ok: true, result: string}
 *   | {id: number, ok: false, error: string}} WorkerReply
 */

/**
 * The worker's own state, without an id: start-up steps, then ready (with ``info``, the JSON
 * text of a CheckerInfo, and ``timings``, milliseconds since the epoch at each step), or failed.
 * @typedef {{kind: "progress", stage: "runtime" | "package", message: string}
 *   | {kind: "progress", stage: "ready", message: string, info: string,
 *      timings: Record<string, number>}
 *   | {kind: "failed", error: string}} WorkerState
 */

/** @typedef {WorkerReply | WorkerState} WorkerMessage */

export {};
