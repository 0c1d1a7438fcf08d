// The worker's start (docs/assets/checker/checker-start.mjs) under Node, snapshot included.
//
//   node tests/node/snapshot.mjs RUNTIME_DIR CASES.json OUT.json
//
// Starts Python from RUNTIME_DIR (what the site ships: the trimmed standard library archive, the
// wheel through the lock file) the way the worker does, checks the first drafts, copies the
// memory with takeSnapshot(), starts again from that snapshot (its bytes arriving after the
// start has begun, as from the browser's store) and checks every draft of CASES.json there;
// then gives the start a broken snapshot, which must end in a normal start.
// OUT.json: {first, restored, restoredError, broken, brokenError, snapshotBytes, results}.
import { readFile, writeFile } from "node:fs/promises";

const [runtimeDir, casesPath, outPath] = process.argv.slice(2);
if (!runtimeDir || !casesPath || !outPath) {
  console.error("usage: node tests/node/snapshot.mjs RUNTIME_DIR CASES.json OUT.json");
  process.exit(2);
}
const runtime = `${runtimeDir.replace(/\/$/, "")}/`;
const start = await import(new URL("../../docs/assets/checker/checker-start.mjs", import.meta.url));
const { loadPyodide } = await import(`${runtime}pyodide.mjs`);
const createModule = (await import(`${runtime}pyodide.asm.mjs`)).default;
const cases = JSON.parse(await readFile(casesPath, "utf8"));
const options = {
  loadPyodide,
  createModule,
  snapshotReady: true,
  stderr: (line) => console.error(line),
  loadOptions: { packageCacheDir: runtime },
};

const first = await start.startPython(runtime, options);
const firstWeb = first.pyodide.pyimport("inmail_checker.web");
firstWeb.ready();
for (const { subject, body } of cases.slice(0, 5)) firstWeb.check_draft(body, subject);
const snapshot = start.takeSnapshot(first.pyodide);

// As the browser's store gives it: the length at once, the bytes a moment later (while the
// WebAssembly compiles).
const arriving = new Uint8Array(snapshot.byteLength);
const snapshotFilled = new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
  arriving.set(snapshot),
);
const restored = await start.startPython(runtime, {
  ...options,
  snapshot: arriving,
  snapshotFilled,
});
const web = restored.pyodide.pyimport("inmail_checker.web");
web.ready();
const results = cases.map(({ subject, body }) => web.check_draft(body, subject));

const broken = new Uint8Array(snapshot.slice(0, 4096));
const fallback = await start.startPython(runtime, { ...options, snapshot: broken });
fallback.pyodide.pyimport("inmail_checker.web").ready();

await writeFile(
  outPath,
  JSON.stringify({
    first: first.from,
    restored: restored.from,
    restoredError: restored.error ? String(restored.error) : null,
    broken: fallback.from,
    brokenError: fallback.error ? String(fallback.error) : null,
    snapshotBytes: snapshot.byteLength,
    results,
  }),
);
