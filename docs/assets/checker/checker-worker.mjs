// The checker's Web Worker (a module worker): runs the inmail_checker package in Pyodide.
//
// The protocol is typed in protocol.mjs. The page sends requests {id, kind, ...}; the worker
// answers each with {id, ok: true, result} or {id, ok: false, error}, one request at a time, in
// order. Results are text made by inmail_checker.web (the same functions the parity test runs
// in CPython):
//   kind "check":       {draft} -> JSON {report, sum, segments}: the report exactly as
//                       `inmail-check --format json --no-config` prints it with the same
//                       context, the score's sum, and the marked segments in UTF-16 units
//   kind "report-text": {draft, markdown} -> the report as the CLI prints it, or in Markdown
// Without an id the worker reports its own state: {kind: "progress", stage, message} while it
// starts (stages "runtime", "package", "ready"; "ready" also carries {info}, the JSON text of
// inmail_checker.web.ready(), and {timings} for the benchmark) and {kind: "failed", error}.
// User text only ever arrives as arguments of a Python function, never as Python source.

/** @typedef {import("./protocol.mjs").WorkerMessage} WorkerMessage */
/** @typedef {import("./protocol.mjs").WorkerRequest} WorkerRequest */
/** @typedef {import("./protocol.mjs").Draft} Draft */

/**
 * The parts of the worker's global scope used here (the project's type check runs with the
 * DOM library, whose `self` is a Window).
 * @typedef {object} WorkerScope
 * @property {(message: WorkerMessage) => void} postMessage
 * @property {(type: "message", listener: (event: MessageEvent<WorkerRequest>) => void) => void}
 *   addEventListener
 * @property {typeof fetch} fetch
 */

/**
 * The Python functions borrowed from inmail_checker.web (Pyodide proxies).
 * @typedef {object} Handlers
 * @property {(draft: Draft) => string} check
 * @property {(draft: Draft, markdown: boolean) => string} reportText
 */

const scope = /** @type {WorkerScope} */ (/** @type {unknown} */ (globalThis));
const PYODIDE_URL = new URL("runtime/", import.meta.url);

/** @type {Record<string, number>} */
const timings = {};
/** @param {string} step */
function mark(step) {
  timings[step] = performance.timeOrigin + performance.now();
}
mark("worker-started");

/**
 * @param {"runtime" | "package"} stage
 * @param {string} message
 */
function progress(stage, message) {
  scope.postMessage({ kind: "progress", stage, message });
}

/** @param {unknown} error */
function reason(error) {
  return error instanceof Error ? error.message : String(error);
}

// Pyodide only logs a warning when the runtime's WebAssembly cannot be fetched or compiled,
// and then waits forever. Watching this worker's own downloads and compilations turns such a
// failure into an error the page can show.
/** @type {(error: Error) => void} */
let runtimeFailed = () => {};
/** @type {Promise<never>} */
const runtimeFailure = new Promise((_, reject) => {
  runtimeFailed = reject;
});

function watchRuntimeLoading() {
  const nativeFetch = scope.fetch.bind(scope);
  scope.fetch = async (input, init) => {
    const name = String(input instanceof Request ? input.url : input).split("/").pop();
    let response;
    try {
      response = await nativeFetch(input, init);
    } catch (error) {
      runtimeFailed(new Error(`could not download ${name} (${reason(error)})`));
      throw error;
    }
    if (!response.ok) {
      runtimeFailed(new Error(`could not download ${name} (HTTP ${response.status})`));
    }
    return response;
  };
  const wasm = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (WebAssembly));
  for (const method of ["instantiate", "instantiateStreaming"]) {
    const native = wasm[method];
    if (typeof native !== "function") continue;
    /** @param {unknown[]} args */
    wasm[method] = (...args) =>
      /** @type {Promise<unknown>} */ (native.apply(WebAssembly, args)).catch((error) => {
        runtimeFailed(new Error(`could not start the Python runtime (${reason(error)})`));
        throw error;
      });
  }
}

/** @returns {Promise<Handlers>} */
async function start() {
  if (typeof WebAssembly !== "object") {
    throw new Error("this browser does not run WebAssembly");
  }
  progress("runtime", "Downloading and starting the Python runtime…");
  watchRuntimeLoading();
  // Started while checker-start.mjs arrives: build.json (handed to it), and Pyodide's two
  // modules (its imports of the same addresses get these).
  const build = scope.fetch(new URL("build.json", PYODIDE_URL), { cache: "no-cache" });
  build.catch(() => {}); // Read by startInBrowser.
  for (const name of ["pyodide.mjs", "pyodide.asm.mjs"]) {
    import(new URL(name, PYODIDE_URL).href).catch(() => {});
  }
  // checker-start.mjs: from this build's saved memory snapshot when this browser has one,
  // else from the runtime files (the wheel through pyodide-lock.json, checked by its sha256;
  // nothing from another host).
  /** @type {typeof import("./checker-start.mjs")} */
  const { startInBrowser } = await import(new URL("checker-start.mjs", import.meta.url).href);
  mark("pyodide-imported");
  const loading = startInBrowser(PYODIDE_URL.href, {
    build,
    stderr: (line) => console.warn(`[inmail checker] ${line}`),
    onRestoreError: (error) =>
      console.warn(`[inmail checker] started without the snapshot: ${reason(error)}`),
    mark,
  });
  const { pyodide, from, saveSnapshot } = await Promise.race([loading, runtimeFailure]);
  keepSnapshotLater(saveSnapshot);
  mark(`runtime-from-${from}`);
  mark("runtime-loaded");
  progress("package", "Loading the checker’s rules…");
  // The module stays alive for the visit: its functions are borrowed from it.
  const web = pyodide.pyimport("inmail_checker.web");
  const checkDraft = web.check_draft;
  const reportText = web.report_text;
  const info = web.ready();
  mark("checker-imported");
  /** @type {Handlers} */
  const handlers = {
    check: ({ subject, body, context }) =>
      checkDraft(body, subject, context.stage, context.answered, context.audience),
    reportText: ({ subject, body, context }, markdown) =>
      reportText(body, subject, context.stage, context.answered, context.audience, markdown),
  };
  scope.postMessage({
    kind: "progress",
    stage: "ready",
    message: "Ready. Checks run on this device.",
    info,
    timings,
  });
  return handlers;
}

const started = start();
started.catch((error) => {
  scope.postMessage({ kind: "failed", error: reason(error) });
});

/**
 * A draft as it arrived, made safe to hand to Python whatever the sender put in it.
 * @param {Draft | undefined} draft
 * @returns {Draft}
 */
function cleanDraft(draft) {
  const context = draft?.context;
  return {
    subject: String(draft?.subject ?? ""),
    body: String(draft?.body ?? ""),
    context: {
      stage: context?.stage ?? "first",
      answered: context?.answered === true,
      audience: context?.audience ?? "one",
    },
  };
}

/**
 * @param {Handlers} handlers
 * @param {WorkerRequest} request
 */
function answer(handlers, request) {
  switch (request.kind) {
    case "check":
      return handlers.check(cleanDraft(request.draft));
    case "report-text":
      return handlers.reportText(cleanDraft(request.draft), request.markdown === true);
    default: {
      /** @type {{kind?: unknown}} */
      const unknown = request;
      throw new Error(`unknown request kind ${JSON.stringify(unknown.kind)}`);
    }
  }
}

// Requests are handled strictly in arrival order, one at a time.
let queue = Promise.resolve();

// After a start from the runtime files, a memory snapshot is kept for the next visit once the
// reader has paused for a moment (it holds the worker for a fraction of a second).
/** @type {ReturnType<typeof setTimeout> | undefined} */
let snapshotTimer;
/** @type {(() => Promise<boolean>) | null} */
let saveSnapshotOnce = null;
/** @param {() => Promise<boolean>} saveSnapshot */
function keepSnapshotLater(saveSnapshot) {
  saveSnapshotOnce = saveSnapshot;
  clearTimeout(snapshotTimer);
  snapshotTimer = setTimeout(() => {
    const save = saveSnapshotOnce;
    saveSnapshotOnce = null;
    if (save) queue = queue.then(() => save()).then(() => {}, () => {});
  }, 2000);
}

scope.addEventListener("message", (event) => {
  const request = event.data;
  queue = queue.then(() => handle(request));
  if (saveSnapshotOnce) keepSnapshotLater(saveSnapshotOnce);
});

/** @param {WorkerRequest} request */
async function handle(request) {
  const id = request?.id;
  try {
    const handlers = await started;
    scope.postMessage({ id, ok: true, result: answer(handlers, request) });
  } catch (error) {
    scope.postMessage({ id, ok: false, error: reason(error) });
  }
}
