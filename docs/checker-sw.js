// The checker's service worker: return visits to the checker page start from the cache, and
// the page checks drafts with the network off. Registered by assets/checker/checker-early.mjs
// on the checker page, once the checker has started; its scope is the site, but it answers
// only for the checker page, the site's assets/ and the checker's runtime. Guide pages and
// everything else go to the network as if it were not there.
//
// One cache per build, "inmail-checker-<build>", where <build> is the id in the runtime's
// build.json (a hash of every runtime file, written by inmail_guide.webbuild):
// - the runtime files (Pyodide, the trimmed standard library, the wheel and its lock) are
//   served from the cache of the build that build.json names now. build.json itself always
//   goes to the network first, so a new build's page never gets an older build's wheel: its
//   build has no cache yet, and its files come from the network;
// - the checker page and the site's assets/ (the theme's scripts and styles, the checker's
//   modules) go to the network first, as without a service worker, and come from the cache
//   only when the network fails or takes too long;
// - the worker keeps its memory snapshot in the same cache (checker-start.mjs).
// When the page says the checker has started ({type: "keep", urls}), the cache of the
// current build gets every runtime file (each checked against its sha256 in build.json) and
// the page's own files, and the caches of other builds are deleted. The files build.json says
// are sent packed (`packed`) are kept as their Zstandard copies; the checker's worker adds
// them unpacked, so that a return visit does not unpack them again.
//
// It talks to no other host: every URL it fetches is checked to be in its scope.

const PREFIX = "inmail-checker-";
const SCOPE = new URL(self.registration.scope);
const CHECKER_PAGE = new URL("checker/", SCOPE).href;
const ASSETS = new URL("assets/", SCOPE).href;
const RUNTIME = new URL("assets/checker/runtime/", SCOPE).href;
const BUILD_URL = new URL("build.json", RUNTIME).href;
const SNAPSHOT_URL = new URL("snapshot.bin", RUNTIME).href;
/** How long a network answer may take before a cached copy is used instead. */
const PATIENCE_MS = 4000;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

/** The build the pages get now (build.json's content), or null when unknown. */
let current = null;

function inScope(url) {
  return url.startsWith(SCOPE.href);
}

function plain(url) {
  const parsed = new URL(url);
  parsed.hash = "";
  parsed.search = "";
  return parsed.href;
}

function isCheckerPage(url) {
  const bare = plain(url);
  return bare === CHECKER_PAGE || bare === `${CHECKER_PAGE}index.html`;
}

async function ourCaches() {
  return (await caches.keys()).filter((name) => name.startsWith(PREFIX));
}

/** A copy of `request` in any of this worker's caches (newest build first), or undefined. */
async function cached(request) {
  for (const name of (await ourCaches()).reverse()) {
    const hit = await (await caches.open(name)).match(request, { ignoreSearch: true });
    if (hit) return hit;
  }
  return undefined;
}

/** The network's answer; after PATIENCE_MS a cached copy if there is one; the cache when the
 * network fails. */
async function networkFirst(request) {
  const network = fetch(request);
  let timer;
  const slow = new Promise((resolve) => {
    timer = setTimeout(resolve, PATIENCE_MS, "slow");
  });
  try {
    const first = await Promise.race([network, slow]);
    if (first !== "slow") return first;
    const copy = await cached(request);
    return copy ?? (await network);
  } catch (error) {
    const copy = await cached(request);
    if (copy) return copy;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function readManifest(response) {
  try {
    const manifest = await response.clone().json();
    return typeof manifest?.build === "string" ? manifest : null;
  } catch {
    return null;
  }
}

async function buildResponse(request) {
  const response = await networkFirst(request);
  if (response.ok) current = await readManifest(response);
  return response;
}

async function currentBuild() {
  if (!current) {
    try {
      await buildResponse(new Request(BUILD_URL, { cache: "no-cache" }));
    } catch {
      current = null;
    }
  }
  return current;
}

async function runtimeResponse(request) {
  const manifest = await currentBuild();
  const name = manifest && PREFIX + manifest.build;
  if (name && (await caches.has(name))) {
    const hit = await (await caches.open(name)).match(request, { ignoreSearch: true });
    if (hit) return hit;
  }
  // Not kept yet: from the network, checked against build.json when it lists the file (the
  // HTTP cache may still hold an older build's file of the same name).
  const file = new URL(plain(request.url)).pathname.split("/").pop();
  const digest = manifest?.files?.[file];
  return digest ? verified(request.url, digest) : fetch(request);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || !inScope(request.url)) return;
  const url = plain(request.url);
  if (url === BUILD_URL) event.respondWith(buildResponse(request));
  else if (url.startsWith(RUNTIME)) event.respondWith(runtimeResponse(request));
  else if (isCheckerPage(url) || url.startsWith(ASSETS)) event.respondWith(networkFirst(request));
});

async function sha256(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join(
    "",
  );
}

/** A runtime file whose bytes are the build's: from the HTTP cache when they are, else anew. */
async function verified(url, digest) {
  for (const mode of ["default", "reload"]) {
    const response = await fetch(url, { cache: mode });
    if (response.ok && (await sha256(response.clone())) === digest) return response;
  }
  throw new Error(`${url} does not match build.json`);
}

async function keep(urls) {
  const response = await fetch(BUILD_URL, { cache: "no-cache" });
  const manifest = response.ok ? await readManifest(response) : null;
  if (!manifest) throw new Error("build.json could not be read");
  const name = PREFIX + manifest.build;
  const cache = await caches.open(name);
  const unpackedByWorker = new Set(Object.keys(manifest.packed ?? {}));
  for (const [file, digest] of Object.entries(manifest.files ?? {})) {
    const url = new URL(file, RUNTIME).href;
    if (unpackedByWorker.has(file) || !inScope(url) || (await cache.match(url))) continue;
    await cache.put(url, await verified(url, digest));
  }
  await cache.put(BUILD_URL, response);
  for (const url of new Set([CHECKER_PAGE, ...urls])) {
    if (typeof url !== "string" || !inScope(url) || url === SNAPSHOT_URL) continue;
    const bare = plain(url);
    if (bare.startsWith(RUNTIME) || !(isCheckerPage(bare) || bare.startsWith(ASSETS))) continue;
    try {
      const page = await fetch(bare);
      if (page.ok && page.type === "basic") await cache.put(bare, page);
    } catch {
      // A file the page no longer needs; the rest is kept.
    }
  }
  for (const other of await ourCaches()) {
    if (other !== name) await caches.delete(other);
  }
  current = manifest;
  return manifest.build;
}

self.addEventListener("message", (event) => {
  if (event.data?.type !== "keep") return;
  const urls = Array.isArray(event.data.urls) ? event.data.urls : [];
  const done = keep(urls).then(
    (build) => event.source?.postMessage({ type: "kept", build }),
    (error) => event.source?.postMessage({ type: "not-kept", error: String(error) }),
  );
  event.waitUntil(done);
});
