// Runs drafts through the checker wheel inside Pyodide under Node, the way the page does.
//
//   node tests/node/parity.mjs RUNTIME_DIR CASES.json OUT.json
//
// RUNTIME_DIR: what `python -m inmail_guide.webbuild --out RUNTIME_DIR` wrote. CASES.json:
// [{"subject", "body", "context": {"stage", "answered", "audience"}, "texts": bool}, ...].
// OUT.json receives {"runtime": {...}, "results": [result JSON text, ...], "texts": [[plain,
// markdown] or null, ...]} in the same order. Pyodide is loaded once from node_modules/pyodide;
// the package comes through the same lock file the site serves, so the wheel under test
// is the wheel the site ships, and it is called through inmail_checker.web as the worker does.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const indexURL = `${root}node_modules/pyodide/`;
const [runtimeDir, casesPath, outPath] = process.argv.slice(2);
if (!runtimeDir || !casesPath || !outPath) {
  console.error("usage: node tests/node/parity.mjs RUNTIME_DIR CASES.json OUT.json");
  process.exit(2);
}
const webDir = `${runtimeDir.replace(/\/$/, "")}/`;

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
const web = pyodide.pyimport("inmail_checker.web");
const checkDraft = web.check_draft;
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

// Each case: {subject, body, context: {stage, answered, audience}, texts}. With ``texts``, the
// report as Copy report makes it (plain text and Markdown) comes back too.
const reportText = web.report_text;
const results = cases.map(({ subject, body, context }) =>
  checkDraft(body, subject, context.stage, context.answered, context.audience),
);
const texts = cases.map(({ subject, body, context, texts: wanted }) =>
  wanted
    ? [false, true].map((markdown) =>
        reportText(body, subject, context.stage, context.answered, context.audience, markdown),
      )
    : null,
);
await writeFile(outPath, JSON.stringify({ runtime, results, texts }));
