// The page's side of the checker's Web Worker: one worker for the whole visit, requests by id,
// replies resolving the matching promise, and the worker's state for whoever listens.

import { takeEarlyWorker } from "./checker.mjs";

/** @typedef {import("./protocol.mjs").CheckerInfo} CheckerInfo */
/** @typedef {import("./protocol.mjs").CheckResult} CheckResult */
/** @typedef {import("./protocol.mjs").Draft} Draft */
/** @typedef {import("./protocol.mjs").WorkerMessage} WorkerMessage */
/** @typedef {import("./protocol.mjs").WorkerQuestion} WorkerQuestion */
/** @typedef {import("./protocol.mjs").WorkerRequest} WorkerRequest */
/** @typedef {import("./protocol.mjs").WorkerState} WorkerState */

/**
 * What the page shows of the worker: "starting", the worker's own stages ("runtime",
 * "package", "ready"), or "failed" with the reason.
 * @typedef {{stage: "starting" | "runtime" | "package" | "ready" | "failed", message: string}}
 *   ClientState
 */

const WORKER_URL = new URL("checker-worker.mjs", import.meta.url);

/** @param {unknown} error */
function reason(error) {
  return error instanceof Error ? error.message : String(error);
}

export class CheckerWorker {
  constructor() {
    /** @type {Map<number, {resolve: (text: string) => void, reject: (error: Error) => void}>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {ClientState} */
    this.state = { stage: "starting", message: "Starting the checker…" };
    /** @type {Set<(state: ClientState) => void>} */
    this.listeners = new Set();
    /** @type {CheckerInfo | null} */
    this.info = null;
    /** @type {Worker | null} */
    this.worker = null;
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
      this.worker =
        early?.worker ?? new Worker(WORKER_URL, { type: "module", name: "inmail-checker" });
    } catch (error) {
      this.fail(`the checker’s worker could not start (${reason(error)})`);
      return;
    }
    /** @param {Event} event */
    const onEvent = (event) => {
      if (event instanceof MessageEvent) {
        this.receive(/** @type {WorkerMessage} */ (event.data));
        return;
      }
      event.preventDefault();
      const message = event instanceof ErrorEvent && event.message ? ` (${event.message})` : "";
      const why = "the checker’s worker stopped; this browser may not run module workers";
      this.fail(`${why}${message}`);
    };
    this.worker.addEventListener("message", onEvent);
    this.worker.addEventListener("error", onEvent);
    this.worker.addEventListener("messageerror", () => this.fail("a message could not be read"));
    for (const event of early?.events ?? []) onEvent(event);
  }

  get failed() {
    return this.state.stage === "failed";
  }

  get ready() {
    return this.state.stage === "ready";
  }

  /**
   * Calls ``listener`` with the state now and at every change; returns the unsubscribe.
   * @param {(state: ClientState) => void} listener
   */
  subscribe(listener) {
    this.listeners.add(listener);
    listener(this.state);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** @param {ClientState} state */
  setState(state) {
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }

  /** @param {string} why */
  fail(why) {
    if (this.failed) return;
    this.worker?.terminate();
    for (const { reject } of this.pending.values()) reject(new Error(why));
    this.pending.clear();
    this.setState({ stage: "failed", message: why });
  }

  /**
   * The worker's start-up steps as marks on this page's timeline (for the benchmark).
   * @param {Record<string, number>} timings
   */
  recordTimings(timings) {
    for (const [step, epochMs] of Object.entries(timings)) {
      const startTime = epochMs - performance.timeOrigin;
      if (startTime >= 0) performance.mark(`inmail:${step}`, { startTime });
    }
  }

  /** @param {WorkerMessage} message */
  receive(message) {
    if (!message || typeof message !== "object") return;
    if (!("id" in message)) {
      this.receiveState(message);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    if (message.ok) entry.resolve(message.result);
    else entry.reject(new Error(message.error));
  }

  /** @param {WorkerState} message */
  receiveState(message) {
    if (message.kind === "failed") {
      this.fail(`the Python runtime could not load (${message.error})`);
      return;
    }
    if (message.stage === "ready") {
      this.recordTimings(message.timings);
      this.info = /** @type {CheckerInfo} */ (JSON.parse(message.info));
    }
    this.setState({ stage: message.stage, message: message.message });
  }

  /**
   * Sends one request; resolves with the worker's reply (text).
   * @param {WorkerQuestion} question
   * @returns {Promise<string>}
   */
  request(question) {
    const worker = this.worker;
    if (this.failed || !worker) return Promise.reject(new Error(this.state.message));
    const id = this.nextId++;
    /** @type {WorkerRequest} */
    const request = { ...question, id };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  /**
   * Checks a draft: the report, the score's sum and the marked segments.
   * @param {Draft} draft
   * @returns {Promise<CheckResult>}
   */
  async check(draft) {
    return /** @type {CheckResult} */ (JSON.parse(await this.request({ kind: "check", draft })));
  }

  /**
   * The report as the command line prints it, or in Markdown.
   * @param {Draft} draft
   * @param {boolean} markdown
   */
  reportText(draft, markdown) {
    return this.request({ kind: "report-text", draft, markdown });
  }
}

/** @type {CheckerWorker | null} */
let shared = null;

/** The visit's one worker, started on first use. */
export function checkerWorker() {
  shared ??= new CheckerWorker();
  return shared;
}
