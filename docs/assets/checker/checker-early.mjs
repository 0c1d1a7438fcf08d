// Loaded on every page of the guide (overrides/main.html), like checker.mjs: what gets the
// checker going before and after a visit, kept apart from the checker's own scripts.
//
// - On a guide page, when the reader points at or tabs to a link to the checker page, the
//   checker's scripts and runtime are prefetched at the lowest priority, so that the page they
//   are heading to is nearly ready when they arrive. Nothing is fetched for readers who never
//   go near such a link, nor when the browser asks to save data.
// - On the checker page, once the checker has started (#inmail-checker[data-state=ready]),
//   the site's service worker (checker-sw.js, at the site's root) is registered and asked to
//   keep this build's runtime and the page's files: later visits start from the cache, and the
//   checker works offline. The worker keeps its own memory snapshot (checker-start.mjs). Once
//   per build, a short-lived worker then runs Pyodide's modules from that cache
//   (checker-warmup.mjs), so that the browser keeps their compiled code for the next visit.

const SITE = new URL("../../", import.meta.url);
const CHECKER_PAGE = new URL("checker/", SITE);
const RUNTIME = new URL("runtime/", import.meta.url);
const SERVICE_WORKER = new URL("checker-sw.js", SITE);
/** The checker's own modules (checker.mjs is on every page), fetched before the runtime when
 * prefetching. */
const PAGE_MODULES = ["checker-page.mjs", "worker-client.mjs", "highlighter.mjs", "result-view.mjs"];
/** The worker's modules: not among the page's resources, as the worker loaded them itself. */
const WORKER_MODULES = ["checker-worker.mjs", "checker-start.mjs", "checker-warmup.mjs"];

/** @param {EventTarget | null} target */
function isCheckerLink(target) {
  const link = target instanceof Element ? target.closest("a[href]") : null;
  if (!link || !(link instanceof HTMLAnchorElement)) return false;
  try {
    const url = new URL(link.href, location.href);
    return url.origin === CHECKER_PAGE.origin && url.pathname === CHECKER_PAGE.pathname;
  } catch {
    return false;
  }
}

function onCheckerPage() {
  return Boolean(document.getElementById("inmail-checker"));
}

let prefetched = false;

/** @param {string} url */
function addPrefetch(url) {
  const link = document.createElement("link");
  link.rel = "prefetch";
  link.href = url;
  link.dataset.inmailPrefetch = "";
  document.head.append(link);
}

/** Prefetches the checker's modules and every runtime file build.json lists, once. */
async function prefetch() {
  if (prefetched) return;
  prefetched = true;
  for (const name of [...PAGE_MODULES, ...WORKER_MODULES]) {
    addPrefetch(new URL(name, import.meta.url).href);
  }
  try {
    /** @type {RequestInit & {priority?: string}} */
    const init = { priority: "low" };
    const response = await fetch(new URL("build.json", RUNTIME), init);
    const manifest = response.ok ? await response.json() : null;
    // A file sent packed is fetched as its Zstandard copy (checker-start.mjs), never plain.
    const packed = new Set(Object.keys(manifest?.packed ?? {}));
    for (const name of Object.keys(manifest?.files ?? {})) {
      if (packed.has(name)) continue;
      const url = new URL(name, RUNTIME);
      if (url.origin === SITE.origin) addPrefetch(url.href);
    }
  } catch {
    // Prefetching is only a head start: the checker page loads what it needs itself.
  }
}

function saveData() {
  // @ts-ignore: navigator.connection is not in every browser (nor in TypeScript's DOM types).
  return Boolean(navigator.connection?.saveData);
}

/** @param {Event} event */
function onPointerOrFocus(event) {
  if (prefetched || onCheckerPage() || saveData() || !isCheckerLink(event.target)) return;
  prefetch();
}

document.addEventListener("pointerover", onPointerOrFocus, { passive: true });
document.addEventListener("focusin", onPointerOrFocus);

// --- The checker page: the service worker, once the checker has started ----------------------

let kept = false;

/** The same-origin files this page loaded (its theme, scripts and styles): the service
 * worker keeps those of them it serves (the page and the site's assets/). */
function pageFiles() {
  const files = [location.href.split("#")[0]];
  for (const name of WORKER_MODULES) files.push(new URL(name, import.meta.url).href);
  for (const entry of performance.getEntriesByType("resource")) {
    if (entry.name.startsWith(SITE.origin)) files.push(entry.name);
  }
  return files;
}

async function keepForLater() {
  if (kept || !("serviceWorker" in navigator)) return;
  kept = true;
  try {
    await navigator.serviceWorker.register(SERVICE_WORKER, { scope: SITE.pathname });
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type !== "kept") return;
      warmUp(String(event.data.build));
      // The build the service worker now keeps (the tests and the benchmark wait for it).
      document.documentElement.dataset.inmailKept = event.data.build;
    });
    const registration = await navigator.serviceWorker.ready;
    registration.active?.postMessage({ type: "keep", urls: pageFiles() });
  } catch {
    // No service worker (a private window, a browser that blocks it): the page works online.
    kept = false;
  }
}

const WARM_KEY = "inmail-checker.warm";

/** Once per build, when the service worker keeps it: checker-warmup.mjs runs Pyodide's modules
 * from its cache, so that the browser keeps their compiled code for the next visit.
 * @param {string} build */
function warmUp(build) {
  try {
    if (localStorage.getItem(WARM_KEY) === build) return;
    const url = new URL("checker-warmup.mjs", import.meta.url);
    const worker = new Worker(url, { type: "module", name: "inmail-checker-warmup" });
    worker.addEventListener("message", (event) => {
      worker.terminate();
      if (event.data === "warm") localStorage.setItem(WARM_KEY, build);
      document.documentElement.dataset.inmailWarm = String(event.data);
    });
    worker.addEventListener("error", () => worker.terminate());
  } catch {
    // Only a head start for the next visit (storage or workers refused).
  }
}

/** @param {HTMLElement} root */
function whenReady(root) {
  if (root.dataset.state === "ready") {
    keepForLater();
    return;
  }
  const observer = new MutationObserver(() => {
    if (root.dataset.state === "ready") {
      observer.disconnect();
      keepForLater();
    }
  });
  observer.observe(root, { attributes: true, attributeFilter: ["data-state"] });
}

function onPage() {
  const root = document.getElementById("inmail-checker");
  if (root && !kept) whenReady(root);
}

// Material's document$ emits on the first load and after every instant navigation.
function start() {
  const { document$ } = /** @type {{document$?: {subscribe?: (next: () => void) => void}}} */ (
    globalThis
  );
  if (document$ && typeof document$.subscribe === "function") document$.subscribe(onPage);
  else onPage();
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start, { once: true });
} else {
  start();
}
