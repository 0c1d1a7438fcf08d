// A module worker the checker page starts once, in the background, when the service worker
// has kept this build (checker-early.mjs): it imports Pyodide's two modules, which now come
// from that cache. Chrome keeps the compiled code of a script from Cache Storage when it first
// runs there, so the reader's next visit does not compile pyodide.asm.mjs (1.2 MB) again.
// Nothing is fetched from the network, and nothing else runs.
const RUNTIME = new URL("runtime/", import.meta.url);

try {
  await Promise.all(
    ["pyodide.mjs", "pyodide.asm.mjs"].map((name) => import(new URL(name, RUNTIME).href)),
  );
  postMessage("warm");
} catch (error) {
  postMessage(`not warm: ${error instanceof Error ? error.message : String(error)}`);
}
