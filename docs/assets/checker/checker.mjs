// Loaded on every page of the guide, because Material's instant navigation changes pages
// without running their scripts again. It stays small: the checker itself (checker-page.mjs
// and the modules it imports), its worker and the Python runtime load only once a page holds
// #inmail-checker. On that page the theme also loads this module early, from <head>
// (script[data-inmail-start]), so that the worker and the Python runtime start downloading
// while the rest of the page is still arriving: the runtime is what the reader waits for.

const WORKER_URL = new URL("checker-worker.mjs", import.meta.url);

/**
 * A worker started before the page script arrived, with what it said so far.
 * @typedef {object} EarlyWorker
 * @property {Worker} worker
 * @property {Event[]} events
 */

/** @type {Promise<{mount: (root: HTMLElement | null) => void}> | null} */
let checker = null;
/** @type {(EarlyWorker & {keep: (event: Event) => void}) | null} */
let early = null;
let taken = false;

/** Starts the worker now; what it says before the page takes it over is kept. */
function startWorker() {
  if (early || taken || typeof Worker !== "function" || typeof WebAssembly !== "object") return;
  try {
    performance.mark("inmail:worker-created");
    const worker = new Worker(WORKER_URL, { type: "module", name: "inmail-checker" });
    /** @type {Event[]} */
    const events = [];
    /** @param {Event} event */
    const keep = (event) => {
      if (event.type === "error") event.preventDefault();
      events.push(event);
    };
    worker.addEventListener("message", keep);
    worker.addEventListener("error", keep);
    early = { worker, events, keep };
  } catch {
    // The worker client tries again and reports why it cannot.
  }
}

/**
 * Hands the early worker (and the events it sent so far) to the worker client, once.
 * @returns {EarlyWorker | null}
 */
export function takeEarlyWorker() {
  const handed = early;
  early = null;
  taken = true;
  if (!handed) return null;
  handed.worker.removeEventListener("message", handed.keep);
  handed.worker.removeEventListener("error", handed.keep);
  return { worker: handed.worker, events: handed.events };
}

/** @param {unknown} error */
function showFailure(error) {
  const failure = document.getElementById("inmail-failure");
  const reason = document.getElementById("inmail-failure-reason");
  const detail = error instanceof Error ? error.message : String(error);
  if (reason) reason.textContent = `The checker can’t run: its script did not load (${detail}).`;
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
  const { document$ } = /** @type {{document$?: {subscribe?: (next: () => void) => void}}} */ (
    globalThis
  );
  if (document$ && typeof document$.subscribe === "function") document$.subscribe(boot);
  else boot();
}

if (document.querySelector("script[data-inmail-start]")) startWorker();
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
