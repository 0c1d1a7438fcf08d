// Loaded on every page of the guide, because Material's instant navigation changes pages
// without running their scripts again. It stays this small: the checker itself
// (checker-page.mjs), its worker and the Python runtime load only once a page holds
// #inmail-checker.

let checker = null;

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
  if (root) checker ??= import(new URL("checker-page.mjs", import.meta.url).href);
  checker?.then((module) => module.mount(root), showFailure);
}

// Material's document$ emits on the first load and after every instant navigation.
const document$ = globalThis.document$;
if (document$ && typeof document$.subscribe === "function") {
  document$.subscribe(boot);
} else if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", boot, { once: true });
} else {
  boot();
}
