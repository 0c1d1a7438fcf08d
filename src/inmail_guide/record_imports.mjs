// Which files of Pyodide's standard library archive the checker uses: run by
// inmail_guide.stdlib at build time, never by the site.
//
//   node record_imports.mjs PYODIDE_DIR RUNTIME_DIR CASES.json OUT.json ARCHIVE.zip
//
// PYODIDE_DIR holds the full distribution (node_modules/pyodide/, with the full
// python_stdlib.zip); RUNTIME_DIR the checker's wheel and pyodide-lock.json. Pyodide starts the
// way the page's worker starts it (the wheel through the lock file, the same options), imports
// inmail_checker.web, asks for ready(), checks every draft of CASES.json ([{subject, body}])
// with check_draft and report_text (plain and Markdown; the page's three questions take each of
// their answers in turn), raises one Python error through the FFI (the path a failed
// request takes) and makes one memory snapshot (the worker makes one after its first start).
// OUT.json receives {"files": [archive names], "modules": n}: every module of sys.modules whose
// code came from the archive. ARCHIVE.zip receives those modules compiled by this Python
// (optimize=2: no docstrings, no asserts) as sourceless .pyc files: Python's start-up then
// skips compiling them, which is most of its time. Their location tables keep each
// instruction's line but not its columns: the columns (only a traceback's carets use them) were
// more than a quarter of the archive's compressed bytes. The entries are stored, not deflated:
// the site sends the archive as one Zstandard stream (inmail_guide.webbuild), which compresses
// the files together far better than each on its own.
import { readFile, writeFile } from "node:fs/promises";

const [pyodideDir, runtimeDir, casesPath, outPath, archivePath] = process.argv.slice(2);
if (!pyodideDir || !runtimeDir || !casesPath || !outPath || !archivePath) {
  console.error("usage: node record_imports.mjs PYODIDE_DIR RUNTIME_DIR CASES.json OUT.json ARCHIVE.zip");
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
const contexts = ["first", "reply", "follow-up"].flatMap((stage) =>
  [false, true].flatMap((answered) =>
    ["one", "few", "many"].map((audience) => [stage, answered, audience]),
  ),
);
cases.forEach(({ subject, body }, index) => {
  const [stage, answered, audience] = contexts[index % contexts.length];
  web.check_draft(body, subject, stage, answered, audience);
  for (const markdown of [false, true]) {
    web.report_text(body, subject, stage, answered, audience, markdown);
  }
});
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
pyodide.globals.set("recorded", pyodide.toPy(modules));
pyodide.runPython(`
import importlib.util, marshal, sys, types, zipfile

# Unchecked hash-based .pyc (PEP 552): no timestamp, so the same code gives the same header.
HEADER = importlib.util.MAGIC_NUMBER + (1).to_bytes(4, "little") + bytes(8)


def varint(value):
    out = bytearray()
    while value >= 64:
        out.append(0x40 | (value & 63))
        value >>= 6
    out.append(value)
    return out


def lines_only(code):
    # The same code with a location table of lines only (CPython's Objects/locations.md: entries
    # "no column" (13) and "no location" (15), each for up to 8 code units of one line): a
    # traceback still names each frame's line, without the columns of its carets.
    consts = tuple(lines_only(c) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    units = [position[0] for position in code.co_positions()]
    table, previous, index = bytearray(), code.co_firstlineno, 0
    while index < len(units):
        line, run = units[index], 1
        while run < 8 and index + run < len(units) and units[index + run] == line:
            run += 1
        if line is None:
            table.append(0x80 | 15 << 3 | run - 1)
        else:
            table.append(0x80 | 13 << 3 | run - 1)
            delta = line - previous
            table += varint(-delta << 1 | 1 if delta < 0 else delta << 1)
            previous = line
        index += run
    lined = code.replace(co_consts=consts, co_linetable=bytes(table))
    if list(lined.co_lines()) != list(code.co_lines()):
        raise AssertionError(f"the lines of {code.co_qualname} changed")
    return lined

full = zipfile.ZipFile(sys.path[0] if sys.path[0].endswith(".zip") else next(
    path for path in sys.path if path.endswith(".zip")))
with zipfile.ZipFile("/tmp/stdlib.zip", "w") as out:
    for name in recorded:
        code = lines_only(compile(full.read(name), f"/lib/python314.zip/{name}", "exec",
                                  optimize=2, dont_inherit=True))
        entry = zipfile.ZipInfo(name + "c", date_time=(1980, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_STORED
        entry.external_attr = 0o644 << 16
        out.writestr(entry, HEADER + marshal.dumps(code))
`);
await writeFile(archivePath, pyodide.FS.readFile("/tmp/stdlib.zip"));
await writeFile(outPath, JSON.stringify({ files: modules, modules: modules.length }));
