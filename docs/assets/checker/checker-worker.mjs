// The checker's Web Worker (a module worker): runs the inmail_checker package in Pyodide.
//
// Protocol. The page sends requests {id, kind, ...}; the worker answers each with
// {id, ok: true, result} or {id, ok: false, error}, one request at a time, in order. Results are
// JSON text made by inmail_checker.web (the same functions the parity test runs in CPython):
//   kind "check":  {subject, body} -> {report, segments}: the report exactly as
//                  `inmail-check --format json --no-config` prints it, and the marked segments
//                  of each field in UTF-16 units
//   kind "report-text": {subject, body} -> the plain-text report, as the CLI prints it
// Without an id the worker reports its own state: {kind: "progress", stage, message} while it
// starts (stages "runtime", "package", "ready"; "ready" also carries {info}, the JSON text of
// inmail_checker.web.ready(): limits, labels and rule titles, and {timings}: milliseconds since
// the epoch at each step, for the benchmark) and {kind: "failed", error} if it cannot.
// User text only ever arrives as arguments of a Python function, never as Python source.

const PYODIDE_URL = new URL("runtime/", import.meta.url);

function report(stage, message, extra = {}) {
  self.postMessage({ kind: "progress", stage, message, ...extra });
}

const timings = {};
function mark(step) {
  timings[step] = performance.timeOrigin + performance.now();
}
mark("worker-started");

// Pyodide only logs a warning when the runtime's WebAssembly cannot be fetched or compiled,
// and then waits forever. Watching this worker's own downloads and compilations turns such a
// failure into an error the page can show.
let runtimeFailed;
const runtimeFailure = new Promise((_, reject) => {
  runtimeFailed = reject;
});

function watchRuntimeLoading() {
  const nativeFetch = self.fetch.bind(self);
  self.fetch = async (input, init) => {
    const name = String(input instanceof Request ? input.url : input).split("/").pop();
    let response;
    try {
      response = await nativeFetch(input, init);
    } catch (error) {
      runtimeFailed(new Error(`could not download ${name} (${error.message})`));
      throw error;
    }
    if (!response.ok) {
      runtimeFailed(new Error(`could not download ${name} (HTTP ${response.status})`));
    }
    return response;
  };
  for (const method of ["instantiate", "instantiateStreaming"]) {
    const native = WebAssembly[method];
    if (typeof native !== "function") continue;
    WebAssembly[method] = (...args) =>
      native.apply(WebAssembly, args).catch((error) => {
        runtimeFailed(new Error(`could not start the Python runtime (${error.message})`));
        throw error;
      });
  }
}

async function start() {
  if (typeof WebAssembly !== "object") {
    throw new Error("this browser does not run WebAssembly");
  }
  report("runtime", "Downloading and starting the Python runtime…");
  watchRuntimeLoading();
  // checker-start.mjs: from this build's saved memory snapshot when this browser has one,
  // else from the runtime files (the wheel through pyodide-lock.json, checked by its sha256;
  // nothing from another host).
  const { startInBrowser } = await import(new URL("checker-start.mjs", import.meta.url).href);
  mark("pyodide-imported");
  const loading = startInBrowser(PYODIDE_URL.href, {
    stderr: (line) => console.warn(`[inmail checker] ${line}`),
    onRestoreError: (error) => console.warn(`[inmail checker] started without the snapshot: ${error}`),
  });
  const { pyodide, from, saveSnapshot } = await Promise.race([loading, runtimeFailure]);
  keepSnapshotLater(saveSnapshot);
  mark(`runtime-from-${from}`);
  mark("runtime-loaded");
  report("package", "Loading the checker’s rules…");
  // The module stays alive for the visit: its functions are borrowed from it.
  const web = pyodide.pyimport("inmail_checker.web");
  const checkDraft = web.check_draft;
  const reportText = web.report_text;
  const info = web.ready();
  mark("checker-imported");
  const handlers = {
    check: (request) => checkDraft(String(request.body ?? ""), String(request.subject ?? "")),
    "report-text": (request) =>
      reportText(String(request.body ?? ""), String(request.subject ?? "")),
  };
  report("ready", "Ready. Checks run on this device.", { info, timings });
  return handlers;
}

const started = start();
started.catch((error) => {
  self.postMessage({ kind: "failed", error: String(error?.message ?? error) });
});

// Requests are handled strictly in arrival order, one at a time.
let queue = Promise.resolve();

// After a start from the runtime files, a memory snapshot is kept for the next visit once the
// reader has paused for a moment (it holds the worker for a fraction of a second).
let snapshotTimer = null;
let saveSnapshotOnce = null;
function keepSnapshotLater(saveSnapshot) {
  saveSnapshotOnce = saveSnapshot;
  clearTimeout(snapshotTimer);
  snapshotTimer = setTimeout(() => {
    const save = saveSnapshotOnce;
    saveSnapshotOnce = null;
    if (save) queue = queue.then(() => save()).catch(() => {});
  }, 2000);
}

self.addEventListener("message", (event) => {
  const request = event.data ?? {};
  queue = queue.then(() => handle(request));
  if (saveSnapshotOnce) keepSnapshotLater(saveSnapshotOnce);
});

async function handle(request) {
  const { id, kind } = request;
  try {
    const handlers = await started;
    const handler = Object.hasOwn(handlers, kind) ? handlers[kind] : null;
    if (!handler) {
      throw new Error(`unknown request kind ${JSON.stringify(kind)}`);
    }
    self.postMessage({ id, ok: true, result: handler(request) });
  } catch (error) {
    self.postMessage({ id, ok: false, error: String(error?.message ?? error) });
  }
}
