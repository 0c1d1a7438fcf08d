// Loaded on every page of the guide, because Material's instant navigation changes pages
// without running their scripts again. It stays small: the checker itself
// (checker-page.mjs), its worker and the Python runtime load only once a page holds
// #inmail-checker. On that page the plugin also loads this module early, from <head>
// (script[data-inmail-start]), so that the worker and the Python runtime start downloading
// while the rest of the page is still arriving: the runtime is what the reader waits for.

const WORKER_URL = new URL("checker-worker.mjs", import.meta.url);

let checker = null;
let early = null;

/** Starts the worker now; what it says before the page takes it over is kept. */
function startWorker() {
  if (early || typeof Worker !== "function" || typeof WebAssembly !== "object") return;
  try {
    performance.mark("inmail:worker-created");
    const worker = new Worker(WORKER_URL, { type: "module", name: "inmail-checker" });
    const events = [];
    const keep = (event) => {
      if (event.type === "error") event.preventDefault();
      events.push(event);
    };
    worker.addEventListener("message", keep);
    worker.addEventListener("error", keep);
    early = { worker, events, keep };
  } catch {
    // checker-page.mjs tries again and reports why it cannot.
  }
}

/** Hands the early worker (and the events it sent so far) to checker-page.mjs, once. */
export function takeEarlyWorker() {
  const taken = early;
  if (taken) {
    taken.worker.removeEventListener("message", taken.keep);
    taken.worker.removeEventListener("error", taken.keep);
    early = { worker: null };
  }
  return taken?.worker ? taken : null;
}

function showFailure(error) {
  const failure = document.getElementById("inmail-failure");
  const reason = document.getElementById("inmail-failure-reason");
  if (reason) {
    reason.textContent = `The checker can’t run: its script did not load (${error.message}).`;
  }
  if (failure) failure.hidden = false;
}

function boot() {
  const root = document.getElementById("inmail-checker");
  if (root && !checker) {
    startWorker();
    checker = import(new URL("checker-page.mjs", import.meta.url).href);
  }
  checker?.then((module) => module.mount(root), showFailure);
}

// Material's document$ emits on the first load and after every instant navigation; it
// exists once Material's script has run (before DOMContentLoaded).
function start() {
  const document$ = globalThis.document$;
  if (document$ && typeof document$.subscribe === "function") document$.subscribe(boot);
  else boot();
}

if (document.querySelector("script[data-inmail-start]")) startWorker();
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
