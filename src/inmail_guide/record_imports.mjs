// Which files of Pyodide's standard library archive the checker uses: run by
// inmail_guide.stdlib at build time, never by the site.
//
//   node record_imports.mjs PYODIDE_DIR RUNTIME_DIR CASES.json OUT.json
//
// PYODIDE_DIR holds the full distribution (node_modules/pyodide/, with the full
// python_stdlib.zip); RUNTIME_DIR the checker's wheel and pyodide-lock.json. Pyodide starts the
// way the page's worker starts it (the wheel through the lock file, the same options), imports
// inmail_checker.web, asks for ready(), checks every draft of CASES.json ([{subject, body}])
// with check_draft and report_text, raises one Python error through the FFI (the path a failed
// request takes) and makes one memory snapshot (the worker makes one after its first start).
// OUT.json receives {"files": [archive names], "modules": n}: every module of sys.modules whose
// code came from the archive.
import { readFile, writeFile } from "node:fs/promises";

const [pyodideDir, runtimeDir, casesPath, outPath] = process.argv.slice(2);
if (!pyodideDir || !runtimeDir || !casesPath || !outPath) {
  console.error("usage: node record_imports.mjs PYODIDE_DIR RUNTIME_DIR CASES.json OUT.json");
  process.exit(2);
}
const slash = (path) => `${path.replace(/\/$/, "")}/`;
const indexURL = slash(pyodideDir);
const webDir = slash(runtimeDir);

const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
const pyodide = await loadPyodide({
  indexURL,
  lockFileURL: `${webDir}pyodide-lock.json`,
  packageCacheDir: webDir,
  packages: ["inmail-checker"],
  _makeSnapshot: true,
  stdout: () => {},
  stderr: (line) => console.error(line),
});
const web = pyodide.pyimport("inmail_checker.web");
web.ready();
const cases = JSON.parse(await readFile(casesPath, "utf8"));
for (const { subject, body } of cases) {
  web.check_draft(body, subject);
  web.report_text(body, subject);
}
try {
  pyodide.runPython("raise ValueError('a failed request')");
} catch {
  // Expected: formatting the error imports what a failed request needs.
}
try {
  const loaded = { ...pyodide.loadedPackages };
  for (const name of Object.keys(loaded)) delete pyodide.loadedPackages[name];
  pyodide.makeMemorySnapshot();
  Object.assign(pyodide.loadedPackages, loaded);
} catch {
  // The snapshot has its own test; here it only may import something.
}
const modules = JSON.parse(
  pyodide.runPython(`
import json, sys
files = set()
for module in list(sys.modules.values()):
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None) or ""
    if ".zip/" in origin:
        files.add(origin.split(".zip/", 1)[1])
json.dumps(sorted(files))
`),
);
await writeFile(outPath, JSON.stringify({ files: modules, modules: modules.length }));
