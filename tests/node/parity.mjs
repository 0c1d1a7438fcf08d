// Runs drafts through the checker wheel inside Pyodide under Node, the way the page does.
//
//   node tests/node/parity.mjs RUNTIME_DIR CASES.json OUT.json
//
// RUNTIME_DIR: what `python -m inmail_guide.webbuild --out RUNTIME_DIR` wrote; its trimmed
// standard library archive is the only one Python gets (stdLibURL). CASES.json:
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
  stdLibURL: `${webDir}python_stdlib.zip`,
  stdout: () => {},
  stderr: (line) => console.error(line),
});
await pyodide.loadPackage("inmail-checker", { messageCallback: () => {} });

// The same entry point as the worker: user text arrives as function arguments, never as source.
const web = pyodide.pyimport("inmail_checker.web");
const checkDraft = web.check_draft;
const runtime = JSON.parse(
  pyodide.runPython(`
import json, pathlib, sys, inmail_checker
# The installed distribution's own metadata (importlib.metadata is not in the trimmed archive).
metadata = next(pathlib.Path(inmail_checker.__file__).parents[1].glob("inmail_checker-*.dist-info"))
version = next(
    line.split(":", 1)[1].strip()
    for line in (metadata / "METADATA").read_text().splitlines()
    if line.startswith("Version:")
)
import traceback
# An error raised inside the archive's compiled code: its traceback names the line.
try:
    json.dumps(object())
except TypeError as error:
    frame = traceback.extract_tb(error.__traceback__)[-1]
json.dumps({
    "python": sys.version.split()[0],
    "package_version": version,
    "package_file": inmail_checker.__file__,
    "stdlib": [m.__spec__.origin for m in (json, pathlib)],
    "raised_at": [frame.filename, frame.name, frame.lineno, frame.colno],
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
