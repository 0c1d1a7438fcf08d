// Runs drafts through the checker wheel inside Pyodide under Node, the way the page does.
//
//   node tests/node/parity.mjs CASES.json OUT.json
//
// CASES.json: [{"subject": "...", "body": "..."}, ...]. OUT.json receives
// {"runtime": {...}, "results": [report JSON text, ...]} in the same order. Pyodide is
// loaded once from node_modules/pyodide; the package comes from build/web through the same
// trimmed lock file the site serves, so the wheel under test is the wheel the site ships.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const indexURL = `${root}node_modules/pyodide/`;
const webDir = `${root}build/web/`;

const [casesPath, outPath] = process.argv.slice(2);
if (!casesPath || !outPath) {
  console.error("usage: node tests/node/parity.mjs CASES.json OUT.json");
  process.exit(2);
}

const { loadPyodide } = await import(`${indexURL}pyodide.mjs`);
const cases = JSON.parse(await readFile(casesPath, "utf8"));
const pyodide = await loadPyodide({
  indexURL,
  lockFileURL: `${webDir}pyodide-lock.json`,
  packageCacheDir: webDir,
  stdout: () => {},
  stderr: (line) => console.error(line),
});
await pyodide.loadPackage("inmail-checker", { messageCallback: () => {} });

// The same entry point as the worker: user text arrives as function arguments, never as source.
const checkDraft = pyodide.runPython(`
from inmail_checker import check

def check_draft(body, subject):
    return check(body, subject).to_json()

check_draft
`);
const runtime = JSON.parse(
  pyodide.runPython(`
import importlib.metadata, json, sys, inmail_checker
json.dumps({
    "python": sys.version.split()[0],
    "package_version": importlib.metadata.version("inmail-checker"),
    "package_file": inmail_checker.__file__,
})
`),
);
runtime.pyodide = pyodide.version;

const results = cases.map(({ subject, body }) => checkDraft(body, subject));
checkDraft.destroy();
await writeFile(outPath, JSON.stringify({ runtime, results }));
