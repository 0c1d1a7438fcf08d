// How the checker's worker starts Python: from a memory snapshot when this browser saved one
// for this build, else from the runtime files. Imported by checker-worker.mjs, and by
// tests/node/snapshot.mjs under Node, so the test runs this very code.
//
// The runtime folder's build.json names the build (a hash of every runtime file). After a start
// from the runtime files, saveSnapshot() copies Python's memory (the checker imported, its
// rules compiled and used) with Pyodide's snapshot API and keeps it in the Cache Storage under
// that build, so the next visit skips Python's start-up: a snapshot of an older build is never
// used. The snapshot is made here, in the reader's browser, not at build time: it is 38 MB
// (8.8 MB gzipped) and would more than double a first visit's download.
//
// Pyodide 314's snapshot API is private (makeMemorySnapshot, and loadPyodide's
// _makeSnapshot/_loadSnapshot options). Anything that goes wrong with it, here or in a later
// Pyodide, ends in a normal start; tests/test_snapshot.py fails instead.

/**
 * What is used here of a started Pyodide (the `PyodideAPI` of pyodide.d.ts, partly).
 * @typedef {object} Pyodide
 * @property {(name: string) => any} pyimport
 * @property {() => Uint8Array} makeMemorySnapshot private in Pyodide 314
 * @property {Record<string, string>} loadedPackages
 */
/**
 * loadPyodide's options as used here, with Pyodide 314's private snapshot options.
 * @typedef {Record<string, unknown> & {indexURL: string, packageBaseUrl: string}} LoadOptions
 */
/** @typedef {(options: LoadOptions) => Promise<Pyodide>} LoadPyodide */
/**
 * pyodide.asm.mjs's default export: makes the Emscripten module.
 * @typedef {(settings: unknown) => Promise<{HEAP8: Int8Array, growMemory: (size: number) => boolean}>} CreateModule
 */
/**
 * The runtime folder's build.json, as inmail_guide.webbuild writes it.
 * @typedef {{build: string, pyodide?: string, files?: Record<string, string>,
 *   packed?: Record<string, string>, decoder?: string}} BuildManifest
 */
/**
 * A kept snapshot as soon as the store has found it: `bytes` has the snapshot's length, and
 * holds its content once `filled` has resolved.
 * @typedef {{bytes: Uint8Array, filled: Promise<void>}} KeptSnapshot
 */
/**
 * @typedef {object} SnapshotStore
 * @property {(build: string) => Promise<KeptSnapshot | null>} load
 * @property {(build: string, bytes: Uint8Array) => Promise<void>} save
 * @property {(build: string) => Promise<void>} drop
 */
/** @typedef {{pyodide: Pyodide, from: "snapshot" | "runtime", error: unknown}} Started */

/** Above this size a snapshot is not kept (a huge draft grew Python's memory). */
const SNAPSHOT_CAP = 96 * 1024 * 1024;
/** The header of a kept snapshot that gives its length. */
const LENGTH_HEADER = "X-Snapshot-Bytes";

export const CACHE_PREFIX = "inmail-checker-";

/**
 * The Cache Storage name of a build's files (the service worker uses the same).
 * @param {string} build
 */
export function cacheName(build) {
  return `${CACHE_PREFIX}${build}`;
}

/**
 * build.json of the runtime folder: {build, pyodide, files}; null when it cannot be read.
 * `early` is its response when the caller started the request already.
 * @param {string} runtimeURL
 * @param {Promise<Response>} [early]
 * @returns {Promise<BuildManifest | null>}
 */
export async function readBuild(runtimeURL, early) {
  try {
    // Revalidated: an old build.json from the HTTP cache would pick an old snapshot.
    const response = await (early ??
      fetch(new URL("build.json", runtimeURL), { cache: "no-cache" }));
    if (!response.ok) return null;
    const manifest = await response.json();
    return typeof manifest?.build === "string" && manifest.build ? manifest : null;
  } catch {
    return null;
  }
}

/**
 * Snapshots kept in the Cache Storage, one per build (the browser's store). A snapshot found
 * is returned at once with its length and read in the background (38 MB take a few hundred
 * milliseconds to read, the time the runtime's WebAssembly takes to compile meanwhile).
 * @param {string} runtimeURL
 * @returns {SnapshotStore | null}
 */
export function cacheSnapshots(runtimeURL) {
  if (typeof caches !== "object" || !caches) return null;
  const key = new URL("snapshot.bin", runtimeURL).href;
  return {
    async load(build) {
      const cache = await caches.open(cacheName(build));
      const response = await cache.match(key);
      if (!response) return null;
      const length = Number(response.headers.get(LENGTH_HEADER));
      if (!response.body || !Number.isSafeInteger(length) || length <= 0) {
        const bytes = new Uint8Array(await response.arrayBuffer());
        return { bytes, filled: Promise.resolve() };
      }
      const bytes = new Uint8Array(length);
      const filled = readInto(response.body, bytes);
      filled.catch(() => {}); // Ends the start from the snapshot, which reports it.
      return { bytes, filled };
    },
    async save(build, bytes) {
      const cache = await caches.open(cacheName(build));
      const headers = {
        "Content-Type": "application/octet-stream",
        [LENGTH_HEADER]: String(bytes.byteLength),
      };
      // (A copy whose buffer is a plain ArrayBuffer, as a Response's body must be.)
      await cache.put(key, new Response(new Uint8Array(bytes), { headers }));
    },
    async drop(build) {
      const cache = await caches.open(cacheName(build));
      await cache.delete(key);
    },
  };
}

/**
 * Fills `target` with the stream's bytes, which must be exactly as many.
 * @param {ReadableStream<Uint8Array>} stream
 * @param {Uint8Array} target
 */
async function readInto(stream, target) {
  const reader = stream.getReader();
  let offset = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.byteLength > target.byteLength) {
      await reader.cancel();
      throw new Error("the kept snapshot is longer than its length");
    }
    target.set(value, offset);
    offset += value.byteLength;
  }
  if (offset !== target.byteLength) throw new Error("the kept snapshot is cut short");
}

/**
 * @param {LoadOptions} base
 * @param {Uint8Array} bytes
 * @param {Promise<unknown>} filled
 * @param {CreateModule} createModule
 * @param {(step: string) => void} mark
 * @returns {LoadOptions}
 */
function restoreOptions(base, bytes, filled, createModule, mark) {
  return {
    ...base,
    // Pyodide sizes the memory by the snapshot's length, makes the module (compiling the
    // WebAssembly) and only then copies these bytes into the memory: they may arrive
    // meanwhile.
    _loadSnapshot: bytes,
    // Pyodide 314's wasm exports its memory at a fixed initial size, so a snapshot of a grown
    // memory does not fit until the memory is grown to the snapshot's size.
    /** @param {unknown} settings */
    createPyodideModule: async (settings) => {
      const [module] = await Promise.all([
        createModule(settings).finally(() => mark("module-created")),
        filled.then(() => mark("snapshot-read")),
      ]);
      const missing = bytes.byteLength - module.HEAP8.length;
      if (missing > 0 && !module.growMemory(bytes.byteLength)) {
        throw new Error("could not grow the memory to the snapshot's size");
      }
      return module;
    },
  };
}

/**
 * Starts Python with the checker imported, from `snapshot` (bytes) when given and it works,
 * else from the runtime files. Returns {pyodide, from: "snapshot" | "runtime", error}: error
 * is why the snapshot was not used, if one was given.
 *
 * options: loadPyodide (pyodide.mjs's), createModule (pyodide.asm.mjs's default export: needed
 * for a snapshot), snapshot, snapshotFilled (when given, the snapshot's bytes are only there
 * once it resolves; its length must be right at once), snapshotReady (make a later
 * takeSnapshot() possible), stdout, stderr, loadOptions (more options for loadPyodide: the
 * Node test's packageCacheDir), mark (called as a step ends).
 * @param {string} runtimeURL
 * @param {{
 *   loadPyodide: LoadPyodide,
 *   createModule?: CreateModule | null,
 *   snapshot?: Uint8Array | null,
 *   snapshotFilled?: Promise<unknown>,
 *   snapshotReady?: boolean,
 *   stdout?: (line: string) => void,
 *   stderr?: (line: string) => void,
 *   loadOptions?: Record<string, unknown>,
 *   mark?: (step: string) => void,
 * }} options
 * @returns {Promise<Started>}
 */
export async function startPython(runtimeURL, options) {
  const { loadPyodide, createModule, snapshot } = options;
  const mark = options.mark ?? (() => {});
  const base = {
    indexURL: runtimeURL,
    // Also replaces Pyodide's default CDN: nothing is fetched from another host.
    packageBaseUrl: runtimeURL,
    stdout: options.stdout ?? (() => {}),
    stderr: options.stderr ?? (() => {}),
    ...options.loadOptions,
  };
  /** @type {unknown} */
  let error = null;
  if (snapshot && createModule) {
    try {
      const filled = options.snapshotFilled ?? Promise.resolve();
      const pyodide = await loadPyodide(
        restoreOptions(base, snapshot, filled, createModule, mark),
      );
      pyodide.pyimport("inmail_checker.web");
      return { pyodide, from: "snapshot", error };
    } catch (failure) {
      error = failure;
    }
  }
  const pyodide = await loadPyodide({
    ...base,
    // The lock file next to the runtime names the wheel and its sha256: Pyodide refuses a
    // wheel whose hash differs.
    packages: ["inmail-checker"],
    _makeSnapshot: Boolean(options.snapshotReady),
  });
  return { pyodide, from: "runtime", error };
}

/** Imported by startInBrowser itself, at once. */
const IMPORTED = new Set(["pyodide.mjs", "pyodide.asm.mjs"]);

/**
 * fzstd's module as checker-start uses it (npm fzstd, copied into the runtime folder).
 * @typedef {{Decompress: new (ondata: (chunk: Uint8Array, final: boolean) => void) => {push: (chunk: Uint8Array, final?: boolean) => void}}} Decoder
 */

/**
 * Answers Pyodide's requests for the runtime files in this worker (its fetch):
 * - a file the build sends packed (build.json's `packed`: the WebAssembly, the standard
 *   library, the wheel) comes from this build's cache when a start kept it there, else from
 *   its Zstandard copy, unpacked as it arrives (with build.json's `decoder`); without the
 *   decoder, the plain file is fetched;
 * - downloadAll() starts every runtime file Pyodide asks for only once pyodide.asm.mjs has
 *   arrived and run: on a slow connection that module alone takes most of a second. Pyodide's
 *   own request for each gets that download, whatever the host's caching headers: nothing is
 *   downloaded twice. A failed download ends the start as Pyodide's own would
 *   (checker-worker.mjs watches every fetch of the worker);
 * - keep() puts the files unpacked here into the build's cache (each checked against its
 *   sha256 in build.json), so that a return visit does not unpack them again.
 * @param {string} runtimeURL
 * @param {BuildManifest} manifest
 */
function answerRuntime(runtimeURL, manifest) {
  const origin = new URL(runtimeURL).origin;
  const files = manifest.files ?? {};
  const packs = manifest.packed ?? {};
  const fetchBefore = globalThis.fetch;
  const store = typeof caches === "object" && caches ? caches : null;
  const buildCache = { cacheName: cacheName(manifest.build) };
  /** @type {Promise<Decoder | null>} */
  const decoder =
    manifest.decoder && Object.keys(packs).length
      ? import(new URL(manifest.decoder, runtimeURL).href).catch(() => null)
      : Promise.resolve(null);
  /** Files Pyodide asks for, by address; and the packed ones' names. */
  const asked = new Map();
  for (const name of Object.keys(files)) {
    const url = new URL(name, runtimeURL);
    const copy = Object.values(packs).includes(name) || name === manifest.decoder;
    if (!IMPORTED.has(name) && !copy && url.origin === origin) asked.set(url.href, name);
  }
  /** @type {Map<string, Promise<Response>>} */
  const early = new Map();
  /** @type {Map<string, Uint8Array[]>} */
  const unpackedHere = new Map();
  /** Responses handed to Pyodide for its WebAssembly, already compiled here. */
  /** @type {WeakMap<Response, Promise<WebAssembly.Module>>} */
  const precompiled = new WeakMap();

  /** @param {string} name @param {string} url */
  async function unpacked(name, url) {
    const hit = await store?.match(url, buildCache).catch(() => undefined);
    if (hit) return hit;
    const packedResponse = fetchBefore(new URL(packs[name], runtimeURL));
    const module = await decoder;
    if (!module) {
      packedResponse.then((response) => response.body?.cancel()).catch(() => {});
      return fetchBefore(url);
    }
    const response = await packedResponse;
    if (!response.ok || !response.body) return response;
    /** @type {Uint8Array[]} */
    const chunks = [];
    unpackedHere.set(name, chunks);
    return new Response(unpackStream(response.body, module, chunks), {
      headers: { "Content-Type": contentType(name) },
    });
  }

  /** @param {string} url */
  function answer(url) {
    const name = asked.get(url);
    if (name && packs[name]) return unpacked(name, url);
    return fetchBefore(url).then(flowing);
  }

  // Pyodide's WebAssembly is compiled from now on, as it arrives from the cache or the network,
  // rather than once pyodide.asm.mjs has been imported and has asked for it: Pyodide's request
  // then gets a stand-in response that instantiateStreaming (below) knows.
  const wasmURL = [...asked].find(([, name]) => name.endsWith(".wasm"))?.[0];
  const compiled = wasmURL ? WebAssembly.compileStreaming(answer(wasmURL)) : null;
  compiled?.catch(() => {}); // Then Pyodide's own request downloads and compiles it.
  const wasm = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (WebAssembly));
  const instantiateBefore = /** @type {typeof WebAssembly.instantiateStreaming} */ (
    wasm.instantiateStreaming
  );
  /**
   * @param {Response | PromiseLike<Response>} source
   * @param {WebAssembly.Imports} [imports]
   */
  wasm.instantiateStreaming = async (source, imports) => {
    const response = await source;
    const module = await precompiled.get(response)?.catch(() => null);
    if (!module) {
      const again = precompiled.has(response) && wasmURL ? answer(wasmURL) : response;
      return instantiateBefore.call(WebAssembly, again, imports);
    }
    return { module, instance: await WebAssembly.instantiate(module, imports) };
  };

  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? (input instanceof Request ? input.method : "GET");
    if (method !== "GET" || !asked.has(url)) return fetchBefore(input, init);
    if (url === wasmURL && compiled) {
      const standIn = new Response(new Uint8Array(0), {
        headers: { "Content-Type": "application/wasm" },
      });
      precompiled.set(standIn, compiled);
      return Promise.resolve(standIn);
    }
    const started = early.get(url);
    early.delete(url);
    if (started) return started;
    const name = asked.get(url) ?? "";
    return packs[name] ? unpacked(name, url) : fetchBefore(input, init);
  };

  return {
    downloadAll() {
      for (const url of asked.keys()) {
        if (url === wasmURL) continue; // Already on its way.
        const response = answer(url);
        response.catch(() => {}); // Reported by the worker's watch, and on Pyodide's request.
        early.set(url, response);
      }
    },
    async keep() {
      if (!store || !unpackedHere.size) return;
      const cache = await store.open(buildCache.cacheName);
      for (const [name, chunks] of unpackedHere) {
        unpackedHere.delete(name);
        const blob = new Blob(/** @type {BlobPart[]} */ (chunks));
        const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
        if (hex(new Uint8Array(digest)) !== files[name]) continue;
        const headers = { "Content-Type": contentType(name) };
        await cache.put(new URL(name, runtimeURL).href, new Response(blob, { headers }));
      }
    },
  };
}

/** What an unpacked file is (instantiateStreaming needs the WebAssembly's type). @param {string} name */
function contentType(name) {
  return name.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
}

/** @param {Uint8Array} bytes */
function hex(bytes) {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The bytes a Zstandard stream unpacks to, as they arrive; each piece is also added to
 * `chunks`. Read from the network at once (a browser stops reading a response nobody reads,
 * and Pyodide reads these only later); what Pyodide has not read yet waits in the stream.
 * @param {ReadableStream<Uint8Array>} body
 * @param {Decoder} module
 * @param {Uint8Array[]} chunks
 * @returns {ReadableStream<Uint8Array>}
 */
function unpackStream(body, module, chunks) {
  return new ReadableStream({
    start(controller) {
      const decoder = new module.Decompress((chunk) => {
        if (!chunk.byteLength) return;
        chunks.push(chunk);
        controller.enqueue(chunk);
      });
      const reader = body.getReader();
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          decoder.push(done ? new Uint8Array(0) : value, done);
          if (done) break;
        }
        controller.close();
      })().catch((error) => {
        chunks.length = 0;
        controller.error(error);
      });
    },
  });
}

/**
 * The same response, its body read from the network as it arrives: a browser stops reading a
 * response nobody reads, and Pyodide reads these only later. What Pyodide has not read yet
 * waits in the tee.
 * @param {Response} response
 */
function flowing(response) {
  if (!response.body) return response;
  const [kept, drained] = response.body.tee();
  drained.pipeTo(new WritableStream()).catch(() => {});
  const type = response.headers.get("Content-Type");
  return new Response(kept, {
    status: response.status,
    statusText: response.statusText,
    headers: type ? { "Content-Type": type } : {},
  });
}

/**
 * The worker's start: build.json (`hooks.build`, when the worker has requested it already),
 * then Python from this build's snapshot if this browser kept one, else from the runtime
 * files. Pyodide's two modules are imported while build.json is read, and its WebAssembly
 * compiled as soon as it arrives (see answerRuntime). Returns {pyodide, from, saveSnapshot}:
 * saveSnapshot() keeps the files unpacked here in the build's cache, and a snapshot for the
 * next visit, once, after a start from the runtime files, and says whether it did.
 * hooks.mark(step) is called as each step ends (the benchmark's timings).
 * @param {string} runtimeURL
 * @param {{
 *   build?: Promise<Response>,
 *   stderr?: (line: string) => void,
 *   onRestoreError?: (error: unknown) => void,
 *   mark?: (step: string) => void,
 * }} [hooks]
 * @returns {Promise<{pyodide: Pyodide, from: Started["from"], saveSnapshot: () => Promise<boolean>}>}
 */
export async function startInBrowser(runtimeURL, hooks = {}) {
  const { stderr, onRestoreError } = hooks;
  const mark = hooks.mark ?? (() => {});
  // Pyodide's two modules do not depend on the build (a service worker finds build.json
  // itself): they are imported while build.json is read.
  const imported = Promise.all([
    import(new URL("pyodide.mjs", runtimeURL).href).finally(() => mark("pyodide.mjs-imported")),
    import(new URL("pyodide.asm.mjs", runtimeURL).href).finally(() => mark("asm-imported")),
  ]);
  imported.catch(() => {}); // Awaited below.
  const manifest = await readBuild(runtimeURL, hooks.build);
  mark("build-read");
  const build = manifest?.build ?? null;
  const store = build ? cacheSnapshots(runtimeURL) : null;
  const stored = store && build ? store.load(build).catch(() => null) : Promise.resolve(null);
  const runtime = manifest ? answerRuntime(runtimeURL, manifest) : null;
  stored.then((kept) => {
    mark(kept ? "snapshot-found" : "no-snapshot");
    if (!kept) runtime?.downloadAll();
  });
  const [[{ loadPyodide }, asm], kept] = await Promise.all([imported, stored]);
  const createModule = kept ? asm.default : null;
  const started = await startPython(runtimeURL, {
    loadPyodide,
    createModule,
    snapshot: kept?.bytes,
    snapshotFilled: kept?.filled,
    snapshotReady: Boolean(store),
    stderr,
    mark,
  });
  if (started.error) {
    onRestoreError?.(started.error);
    if (store && build) await store.drop(build).catch(() => {});
  }
  const { pyodide, from } = started;
  let saved = from === "snapshot";
  async function saveSnapshot() {
    await runtime?.keep().catch(() => {});
    if (saved || !store || !build) return false;
    saved = true;
    try {
      const bytes = takeSnapshot(pyodide);
      if (bytes.byteLength > SNAPSHOT_CAP) return false;
      await store.save(build, bytes);
      return true;
    } catch {
      return false;
    }
  }
  return { pyodide, from, saveSnapshot };
}

/**
 * Python's memory as Pyodide's snapshot API copies it (throws when it cannot). The API
 * refuses to copy while Pyodide's table of loaded packages is not empty (it checks the JavaScript objects Python
 * holds), so the table is emptied for the copy and filled again: a restored Python has the
 * checker imported, and loads no package.
 * @param {Pyodide} pyodide
 */
export function takeSnapshot(pyodide) {
  const loaded = { ...pyodide.loadedPackages };
  for (const name of Object.keys(loaded)) delete pyodide.loadedPackages[name];
  try {
    return pyodide.makeMemorySnapshot();
  } finally {
    Object.assign(pyodide.loadedPackages, loaded);
  }
}
