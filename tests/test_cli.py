"""inmail-check: output, options, configuration, exit codes and quiet failure."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from inmail_checker import ALL_RULES, RULES, Config, check, cli
from inmail_checker.cli import Streams, run
from inmail_checker.cli.exits import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_UNWRITABLE
from inmail_checker.render import printable
from inmail_checker.scoring import points

ROOT = Path(__file__).resolve().parent.parent

SPAM = (
    "Subject: Quick question!!!\n\n"
    "Hi {first_name},\n\n"
    "Our platform guarantees 300% more leads. Book a 15 minute call with me this week "
    "and see a demo of the product.\n"
)
GENUINE = (
    "Subject: Your PyCon talk on queue back-pressure\n\n"
    "Hi Ana,\n\n"
    "I watched your PyCon talk on back-pressure in task queues and tried the token-bucket "
    "idea in our Celery workers; it cut our retry storms in half. One thing I could not work "
    "out: how did you pick the bucket size for bursty producers? If you have a moment to "
    "reply, I would be grateful, and no worries if not.\n\nThanks,\nRaj\n"
)


class Result:
    def __init__(self, code: int, out: bytes, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")

    def json(self) -> object:
        return json.loads(self.out)

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.out.decode("utf-8").splitlines()]

    def results(self) -> list[dict]:
        """A batch's result lines, without the summary record that ends it."""
        *results, summary = self.lines()
        assert set(summary) == {"summary"}, summary
        assert all("summary" not in line for line in results)
        return results

    def summary(self) -> dict:
        return self.lines()[-1]["summary"]


def invoke(
    *argv: str,
    stdin: bytes | str = b"",
    tty: bool = False,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> Result:
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    out, err = io.BytesIO(), io.StringIO()
    streams = Streams(
        stdin=io.BytesIO(data),
        stdout=out,
        stderr=err,
        stdout_is_tty=tty,
        env=env or {},
        cwd=cwd or Path("/"),
    )
    code = run(list(argv), streams)
    return Result(code, out.getvalue(), err.getvalue())


def _assert_one_line_error(result: Result, code: int, *needles: str) -> None:
    assert result.code == code
    assert result.err.startswith("inmail-check: error: ")
    assert result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle in result.err


# --- One draft ---------------------------------------------------------------------------


def test_text_output_marks_the_draft_and_explains_each_finding(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(SPAM, encoding="utf-8")
    result = invoke(str(path))
    assert result.code == 0
    report = check(SPAM.split("\n\n", 1)[1], "Quick question!!!")
    assert report.findings
    out = result.text
    for finding in report.findings:
        assert finding.rule in out
        assert finding.message in out.replace("\n    ", " ") or finding.message[:30] in out
        for span in finding.spans if not finding.clues else ():
            assert f"[[{span.text}" in out or f"{span.text}]]" in out
    assert "Why: " in out and "Fix: " in out
    assert out.index("Problems (") < out.index("Strengths (") < out.index("Score: ")
    assert f"Score: {report.score}/100" in out
    assert f"Verdict: {report.verdict}" in out
    assert "\x1b[" not in out


def test_positions_are_lines_and_columns_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "draft.txt"
    path.write_text(SPAM, encoding="utf-8")
    out = invoke(str(path)).text
    # "{first_name}" is on line 3 of the file, after "Hi ".
    assert "bulk.merge-field  (line 3, col 4)" in out


def test_colour_only_on_a_terminal_without_no_color() -> None:
    plain = invoke("-", stdin=SPAM, tty=False).text
    coloured = invoke("-", stdin=SPAM, tty=True, env={"TERM": "xterm"}).text
    no_color = invoke("-", stdin=SPAM, tty=True, env={"NO_COLOR": "1"}).text
    forced = invoke("--color", "always", "-", stdin=SPAM).text
    assert "\x1b[" not in plain and "\x1b[" not in no_color
    assert "\x1b[4;" in coloured and "\x1b[4;" in forced
    assert "[[" in coloured, "the bracket marking stays even in colour"
    assert "\x1b[" not in invoke("--color", "never", "-", stdin=SPAM, tty=True).text


def test_json_output_is_the_report() -> None:
    result = invoke("--format", "json", stdin=GENUINE)
    assert result.code == 0
    _, body = GENUINE.split("\n\n", 1)
    subject = GENUINE.split("\n", 1)[0].removeprefix("Subject: ")
    assert result.json() == check(body, subject).to_dict()


def test_subject_line_is_split_off_and_the_option_overrides_it() -> None:
    report = invoke("--format", "json", "-", stdin="Subject: Hello there\n\nHi Ana, thanks.").json()
    assert report["stats"]["subject_chars"] == len("Hello there")
    assert report["stats"]["body_chars"] == len("Hi Ana, thanks.")
    report = invoke(
        "--format", "json", "--subject", "Other", stdin="Subject: Hello there\nHi Ana"
    ).json()
    assert report["stats"] == {"subject_chars": 5, "body_chars": 6, "body_words": 2}
    no_subject = invoke("--format", "json", stdin="Hi Ana, thanks.").json()
    assert any(f["rule"] == "subject.missing" for f in no_subject["findings"])


def test_an_empty_draft_gets_a_finding_not_a_crash() -> None:
    result = invoke("--format", "json", stdin=b"")
    assert result.code == 0
    assert [f["rule"] for f in result.json()["findings"]].count("form.empty") == 1
    assert "form.empty" in invoke(stdin=b"   \n\n").text


def test_control_characters_are_shown_not_sent_to_the_terminal() -> None:
    out = invoke(stdin="Subject: hi\n\nHello \x1b[2J there \u202e reversed\x07").text
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "<U+001B>" in out and "<U+202E>" in out and "<U+0007>" in out
    assert printable("line\r\nnext\ttab") == "line\nnext\ttab"
    assert printable("\ud800") == "<U+D800>"


def test_a_lone_surrogate_never_breaks_the_output() -> None:
    # Undecodable bytes in argv arrive as lone surrogates (surrogateescape).
    result = invoke("--format", "json", "--subject", "Hi \udcff there", stdin="Hello Ana")
    assert result.code == 0
    assert result.json()["stats"]["subject_chars"] == len("Hi \udcff there")
    result.out.decode("utf-8")  # strict UTF-8
    text = invoke("--subject", "Hi \udcff", stdin="Hello Ana")
    assert text.code == 0 and "<U+DCFF>" in text.text


# --- Exit codes and errors ---------------------------------------------------------------


def test_fail_on_sets_exit_code_1_at_or_beyond_the_verdict() -> None:
    spam = check(SPAM.split("\n\n", 1)[1], "Quick question!!!")
    genuine_body = GENUINE.split("\n\n", 1)[1]
    genuine = check(genuine_body, "Your PyCon talk on queue back-pressure")
    assert spam.verdict == "likely-spam" and genuine.verdict == "looks-genuine"
    assert invoke("--fail-on", "likely-spam", stdin=SPAM).code == 1
    assert invoke("--fail-on", "needs-work", stdin=SPAM).code == 1
    assert invoke("--fail-on", "needs-work", stdin=GENUINE).code == 0
    assert invoke("--fail-on", "likely-spam", stdin=GENUINE).code == 0
    assert invoke(stdin=SPAM).code == 0


def test_a_missing_file_is_exit_3(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    _assert_one_line_error(invoke(str(missing)), 3, "nope.txt", "No such file")
    _assert_one_line_error(invoke(str(tmp_path)), 3)
    _assert_one_line_error(invoke("--jsonl", str(missing)), 3, "nope.txt")
    _assert_one_line_error(invoke("--csv", str(missing)), 3, "nope.txt")


def test_invalid_utf8_is_exit_4_with_offset_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("Subject: Olá\n\nCafé é".encode() + b"\n  na\xefve")
    result = invoke(str(path))
    _assert_one_line_error(result, 4, "not valid UTF-8")
    offset = path.read_bytes().index(b"\xef")
    assert f"byte {offset} (line 4, column 5)" in result.err


def test_a_batch_line_that_is_not_utf8_is_skipped_and_the_rest_checked() -> None:
    line = b'{"id": 1, "subject": "", "body": "caf\xe9"}\n'
    good = b'{"id": 2, "subject": "", "body": "caf\xc3\xa9"}\n'
    jsonl = invoke("--jsonl", "-", stdin=good + line + good.replace(b"2", b"3"))
    column = line.index(b"\xe9") + 1
    assert jsonl.code == 5
    assert f"line 2: not valid UTF-8: invalid continuation byte at column {column}" in jsonl.err
    assert [result["id"] for result in jsonl.results()] == [2, 3]
    assert jsonl.summary()["skipped"] == 1
    csv_text = b"id,subject,body\n1,s,ok\n2,s,caf\xe9\n3,s,fine\n"
    result = invoke("--csv", "-", stdin=csv_text)
    assert result.code == 5 and "row 3 (line 3): not valid UTF-8" in result.err
    assert [line["id"] for line in result.results()] == ["1", "3"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_input_is_named_with_how_to_convert_it(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "draft.txt"
    path.write_bytes("Subject: Hello\n\nHi Ana, a question about your talk.".encode(codec))
    for argv in ([str(path)], ["--jsonl", str(path)]):
        result = invoke(*argv)
        _assert_one_line_error(result, 4, "UTF-16", "iconv -f UTF-16 -t UTF-8")
        assert "byte 0" not in result.err


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["--disable", "pitch.no-such-rule"], "unknown rule id or prefix: pitch.no-such-rule"),
        (["--bogus"], "unrecognized arguments"),
        (["--format", "xml"], "invalid choice"),
        (["--fail-on", "looks-genuine"], "invalid choice"),
        (["--jsonl", "a", "--csv", "b"], "not allowed"),
        (["--jsonl", "-", "--subject", "x"], "--subject"),
        (["--csv", "-", "--format", "text"], "JSON Lines"),
        (["--rules", "--fail-on", "needs-work"], "--rules"),
        (["file.txt", "--rules"], "takes no FILE"),
        (["--config", "/no/such/pyproject.toml"], "no such config file"),
    ],
)
def test_usage_and_config_errors_are_exit_2(argv: list[str], needle: str) -> None:
    _assert_one_line_error(invoke(*argv, stdin=GENUINE), 2, needle)


def test_main_is_quiet_on_ctrl_c(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(argv: object, streams: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "run", interrupted)
    assert cli.main(["x"]) == EXIT_INTERRUPTED


class _InterruptedInput(io.BytesIO):
    """Standard input that is interrupted (Ctrl-C) after ``lines`` lines."""

    def __init__(self, data: bytes, lines: int) -> None:
        super().__init__(data)
        self.left = lines

    def __iter__(self) -> _InterruptedInput:
        return self

    def __next__(self) -> bytes:
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        line = self.readline()
        if not line:
            raise StopIteration
        return line


def test_ctrl_c_in_a_batch_leaves_every_finished_line(monkeypatch: pytest.MonkeyPatch) -> None:
    records = [{"id": n, "subject": "s", "body": f"Hi Ana, note number {n}."} for n in range(6)]
    out = io.BytesIO()
    streams = Streams(
        stdin=_InterruptedInput(_jsonl(*records).encode(), 4),
        stdout=io.BufferedWriter(out, buffer_size=1 << 20),  # type: ignore[arg-type]
        stderr=io.StringIO(),
    )
    monkeypatch.setattr(Streams, "system", classmethod(lambda cls: streams))
    assert cli.main(["--jsonl", "-"]) == EXIT_INTERRUPTED
    lines = [json.loads(line) for line in out.getvalue().decode().splitlines()]
    assert [line["id"] for line in lines] == [0, 1, 2, 3]
    assert all(
        line["score"] == check(r["body"], "s").score
        for line, r in zip(lines, records[:4], strict=True)
    )


def test_a_write_error_has_its_own_exit_code_and_one_line(tmp_path: Path) -> None:
    full = Path("/dev/full")
    if not full.exists():
        pytest.fail("/dev/full is missing on this machine")
    path = tmp_path / "drafts.jsonl"
    path.write_text(
        _jsonl(*({"id": n, "subject": "s", "body": "Hi Ana!!"} for n in range(50))),
        encoding="utf-8",
    )
    for argv in (["--jsonl", str(path)], ["--rules"], [str(path), "--format", "json"]):
        with full.open("wb") as sink:
            done = subprocess.run(_script(*argv), stdout=sink, stderr=subprocess.PIPE, text=True)
        assert done.returncode == EXIT_UNWRITABLE, (argv, done.stderr)
        assert (
            done.stderr == "inmail-check: error: cannot write the output: No space left on device\n"
        )


def test_config_mistakes_say_what_to_do(tmp_path: Path) -> None:
    result = invoke("--config", str(tmp_path), stdin=GENUINE)
    _assert_one_line_error(result, 2, "not a folder", str(tmp_path / "pyproject.toml"))
    assert "no such config file" not in result.err
    bad = tmp_path / "pyproject.toml"
    bad.write_bytes(b"[tool.inmail-check]\ndisable = ['caf\xe9']\n")
    result = invoke("--config", str(bad), stdin=GENUINE)
    _assert_one_line_error(result, 2, "not valid UTF-8", "must be UTF-8")
    assert "codec" not in result.err
    found = invoke(stdin=GENUINE, cwd=tmp_path)  # found by discovery, the same message
    _assert_one_line_error(found, 2, "not valid UTF-8")
    bad.write_text("[tool.inmail-check\n", encoding="utf-8")
    _assert_one_line_error(invoke("--config", str(bad), stdin=GENUINE), 2, "not valid TOML")


def _script(*argv: str) -> list[str]:
    code = "import sys; from inmail_checker.cli import main; sys.exit(main())"
    return [sys.executable, "-c", code, *argv]


def test_a_closed_pipe_is_quiet() -> None:
    process = subprocess.Popen(
        _script("--rules", "--format", "json"),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head` that has already quit
    error = process.stderr.read()
    process.stderr.close()
    assert process.wait() == EXIT_BROKEN_PIPE
    assert error == b""


def test_the_console_script_runs_without_a_traceback(tmp_path: Path) -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert scripts["project"]["scripts"]["inmail-check"] == "inmail_checker.cli:main"
    draft = tmp_path / "draft.bin"
    draft.write_bytes(b"\xff\xfe bad")
    done = subprocess.run(_script(str(draft)), capture_output=True, check=False, cwd=tmp_path)
    assert done.returncode == 4
    assert done.stderr.decode().startswith("inmail-check: error: ")
    assert b"Traceback" not in done.stderr
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        _script("-"),
        input="Subject: Café ☕\n\nHi Zoë 👋, thanks for the talk".encode(),
        capture_output=True,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert b"Caf? ?" in done.stdout, "unprintable characters are replaced, not fatal"


# --- Rules and configuration -------------------------------------------------------------


def test_rules_lists_every_rule_and_the_batch_rule() -> None:
    out = invoke("--rules").text
    for rule in RULES:
        assert rule.id in out and rule.title in out
    assert "bulk.template" in out and "batch only" in out
    listing = invoke("--rules", "--format", "json").json()
    assert [entry["id"] for entry in listing] == [rule.id for rule in RULES] + [
        rule.id for rule in ALL_RULES if rule.scope == "batch"
    ]
    by_id = {entry["id"]: entry for entry in listing}
    assert by_id["bulk.template"]["scope"] == "batch"
    assert by_id["bulk.template"]["severity"] == "high"
    for rule in RULES:
        entry = by_id[rule.id]
        assert entry["points"] == points(rule)
        assert entry["severity"] == (None if rule.is_strength else rule.severity)
    assert all(entry["enabled"] for entry in listing)


def test_disable_by_id_and_prefix_repeatable_and_comma_separated() -> None:
    listing = invoke("--rules", "--format", "json", "--disable", "pitch,form.emoji").json()
    off = {entry["id"] for entry in listing if not entry["enabled"]}
    assert off == {r.id for r in RULES if r.id.startswith("pitch.")} | {"form.emoji"}
    report = invoke("--format", "json", "--disable", "pitch", "--disable", "bulk", stdin=SPAM)
    rules = {f["rule"] for f in report.json()["findings"]}
    assert rules and not any(r.startswith(("pitch.", "bulk.")) for r in rules)


def test_the_nearest_pyproject_is_read_unless_told_otherwise(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.inmail-check]\ndisable = ["bulk"]\n', encoding="utf-8"
    )
    inner = tmp_path / "drafts"
    inner.mkdir()

    def rules(*argv: str) -> set[str]:
        report = invoke("--format", "json", *argv, stdin=SPAM, cwd=inner).json()
        return {f["rule"] for f in report["findings"]}

    assert "bulk.merge-field" not in rules()
    assert "bulk.merge-field" in rules("--no-config")
    other = tmp_path / "other.toml"
    other.write_text('[tool.inmail-check]\ndisable = ["pitch"]\n', encoding="utf-8")
    configured = rules("--config", str(other))
    assert "bulk.merge-field" in configured
    assert not any(rule.startswith("pitch.") for rule in configured)


def test_a_bad_pyproject_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.inmail-check]\ndisable = ["pitch.nope"]\n', encoding="utf-8"
    )
    result = invoke(stdin=GENUINE, cwd=tmp_path)
    _assert_one_line_error(result, 2, "pyproject.toml", "pitch.nope")
    (tmp_path / "pyproject.toml").write_text("[tool.inmail-check]\nignore = []\n")
    _assert_one_line_error(invoke(stdin=GENUINE, cwd=tmp_path), 2, "unknown key")


# --- Batches -----------------------------------------------------------------------------


def _jsonl(*records: dict) -> str:
    return "".join(json.dumps(record) + "\n" for record in records)


def test_jsonl_prints_one_result_per_draft_in_order() -> None:
    records = [
        {"id": "b", "subject": "Hello", "body": GENUINE.split("\n\n", 1)[1]},
        {"id": 7, "subject": "Quick question", "body": SPAM.split("\n\n", 1)[1], "extra": 1},
    ]
    result = invoke("--jsonl", "-", stdin=_jsonl(*records))
    assert result.code == 0 and result.err == ""
    lines = result.results()
    assert [line["id"] for line in lines] == ["b", 7]
    assert result.summary() == {"checked": 2, "skipped": 0, "templates": []}
    for line, record in zip(lines, records, strict=True):
        assert next(iter(line)) == "id"
        assert {k: v for k, v in line.items() if k != "id"} == check(
            record["body"], record["subject"]
        ).to_dict()


def test_malformed_jsonl_lines_are_reported_and_the_rest_checked(tmp_path: Path) -> None:
    path = tmp_path / "drafts.jsonl"
    good = {"id": "ok", "subject": "s", "body": "Hello Ana, a note."}
    path.write_text(
        _jsonl(good)
        + "not json\n"
        + '["a list"]\n'
        + '{"id": "x", "subject": "s"}\n'
        + '{"id": "y", "subject": null, "body": "b"}\n'
        + "\n"
        + _jsonl({**good, "id": "ok"}, {**good, "id": "ok2"}),
        encoding="utf-8",
    )
    result = invoke("--jsonl", str(path))
    assert result.code == 5
    assert [line["id"] for line in result.results()] == ["ok", "ok2"]
    assert result.summary()["skipped"] == 5
    errors = result.err.splitlines()
    assert errors[0].startswith(f"inmail-check: {path}: line 2: not valid JSON")
    assert "line 3: expected a JSON object" in errors[1]
    assert "line 4: missing field(s) 'body'" in errors[2]
    assert "line 5: 'subject' must be a string" in errors[3]
    assert "line 7: duplicate id 'ok' (first at line 1)" in errors[4]
    assert "4 malformed" not in result.err and "5 malformed line(s) skipped" in result.err
    assert "Traceback" not in result.err


def test_malformed_lines_win_over_fail_on() -> None:
    text = _jsonl({"id": 1, "subject": "x", "body": SPAM}) + "{oops\n"
    assert invoke("--jsonl", "-", "--fail-on", "needs-work", stdin=text).code == 5
    assert invoke("--jsonl", "-", "--fail-on", "needs-work", stdin=text.split("{oops")[0]).code == 1


def test_csv_with_extra_columns_and_multiline_bodies() -> None:
    text = (
        "\ufeffNotes,ID,Body,Subject\n"
        'ignored,r1,"Hi Ana,\nthanks for the talk on queues.",Your talk\n'
        'x,r2,"Book a 15 minute call for a demo of our platform!!!",Quick question\n'
    )
    result = invoke("--csv", "-", stdin=text)
    assert result.code == 0, result.err
    lines = result.results()
    assert [line["id"] for line in lines] == ["r1", "r2"]
    expected = check("Hi Ana,\nthanks for the talk on queues.", "Your talk").to_dict()
    assert lines[0]["findings"] == expected["findings"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("id,subject\n1,x\n", "lacks column(s) 'body'"),
        ("", "empty"),
        ("id,body,subject,body\n", "twice"),
    ],
)
def test_a_csv_without_the_columns_is_a_clear_error(text: str, needle: str) -> None:
    result = invoke("--csv", "-", stdin=text)
    _assert_one_line_error(result, 5, needle)


def test_malformed_csv_rows_are_reported_with_row_and_line() -> None:
    text = 'id,subject,body\n1,a,"two\nlines"\n2,only two\n3,"bad"quote,b\n4,s,fine body\n'
    result = invoke("--csv", "-", stdin=text)
    assert result.code == 5
    assert [line["id"] for line in result.results()] == ["1", "4"]
    assert "row 3 (line 4): has 2 field(s), the header has 3" in result.err
    assert "line 5: not valid CSV" in result.err


def test_batch_output_survives_lone_surrogates_and_nul() -> None:
    line = '{"id": "s\\ud800", "subject": "\\u0000", "body": "caf\\u00e9 \\udfff \\u0000 ok"}\n'
    result = invoke("--jsonl", "-", stdin=line)
    assert result.code == 0, result.err
    (parsed,) = result.results()
    assert parsed["id"] == "s\ud800"


def test_a_template_is_reported_in_batch_output() -> None:
    template = (
        "Hi {name}, I came across your profile and was impressed by your work at {company}. "
        "We help teams like yours cut onboarding time in half with our platform. Would you be "
        "open to a quick call next week to see if it is a fit?"
    )
    people = [("Ana", "Acme"), ("Ben", "Globex"), ("Chloé", "Initech"), ("Dev", "Umbrella")]
    records = [
        {"id": f"p{n}", "subject": "Quick question", "body": template.format(name=a, company=c)}
        for n, (a, c) in enumerate(people)
    ]
    records.append({"id": "other", "subject": "Your talk", "body": GENUINE.split("\n\n", 1)[1]})
    result = invoke("--jsonl", "-", "--fail-on", "likely-spam", stdin=_jsonl(*records))
    lines = result.results()
    # Each line is printed as soon as its draft is checked: no line can know the batch yet.
    assert not any(f["rule"] == "bulk.template" for line in lines for f in line["findings"])
    (template,) = result.summary()["templates"]
    assert template["ids"] == ["p0", "p1", "p2", "p3"]
    assert template["finding"]["rule"] == "bulk.template"
    assert "p1, p2, p3" in template["finding"]["message"]
    by_id = {line["id"]: line for line in lines}
    for draft in template["drafts"]:
        # Scored again with the template finding: lower than the line printed before.
        assert draft["score"] < by_id[draft["id"]]["score"]
    # The summary's verdicts count for --fail-on.
    reached = any(d["verdict"] == "likely-spam" for d in template["drafts"])
    assert result.code == (1 if reached or any(x["verdict"] == "likely-spam" for x in lines) else 0)
    off = invoke("--jsonl", "-", "--disable", "bulk.template", stdin=_jsonl(*records))
    assert off.summary()["templates"] == []


def test_config_default_matches_library_default() -> None:
    assert Config.of([]) == Config()


# --- Templates in a repository ------------------------------------------------------------


def test_several_files_are_checked_and_the_worst_sets_the_exit_code(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(GENUINE, encoding="utf-8")
    bad.write_text(SPAM, encoding="utf-8")
    result = invoke("--fail-on", "likely-spam", str(good), str(bad))
    assert result.code == 1
    assert f"==> {good} <==" in result.text and f"==> {bad} <==" in result.text
    lines = invoke("--format", "json", str(good), str(bad)).lines()
    assert [line["file"] for line in lines] == [str(good), str(bad)]
    assert invoke("--fail-on", "likely-spam", str(good)).code == 0


def test_declared_placeholders_are_not_left_over_merge_fields(tmp_path: Path) -> None:
    template = tmp_path / "template.md"
    template.write_text(
        "Subject: Your talk on {topic}\n\nHi {first_name}, I watched your talk on {topic}. "
        "May I ask one question about it?\n",
        encoding="utf-8",
    )
    plain = invoke("--format", "json", str(template)).json()
    assert "bulk.merge-field" in [f["rule"] for f in plain["findings"]]
    declared = invoke(
        "--format",
        "json",
        "--placeholder",
        "{first_name}",
        "--placeholder",
        "{topic}",
        str(template),
    ).json()
    assert "bulk.merge-field" not in [f["rule"] for f in declared["findings"]]
    (tmp_path / "pyproject.toml").write_text(
        '[tool.inmail-check]\nplaceholders = ["{first_name}", "{topic}"]\n', encoding="utf-8"
    )
    from_config = invoke("--format", "json", str(template), cwd=tmp_path).json()
    assert "bulk.merge-field" not in [f["rule"] for f in from_config["findings"]]
    # An undeclared one is still a finding.
    (tmp_path / "pyproject.toml").write_text(
        '[tool.inmail-check]\nplaceholders = ["{topic}"]\n', encoding="utf-8"
    )
    partial = invoke("--format", "json", str(template), cwd=tmp_path).json()
    (finding,) = [f for f in partial["findings"] if f["rule"] == "bulk.merge-field"]
    assert [span["text"] for span in finding["spans"]] == ["{first_name}"]


def test_github_format_annotates_the_lines_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "draft.md"
    path.write_text(SPAM, encoding="utf-8")
    out = invoke("--format", "github", str(path)).text.splitlines()
    report = check(SPAM.split("\n\n", 1)[1], "Quick question!!!")
    assert len(out) == len(report.findings) + 1
    pattern = re.compile(
        r"^::(error|warning|notice) file=([^,]+)(?:,line=\d+)?(?:,col=\d+)?"
        r"(?:,end(?:Line|Column)=\d+)?,title=[^:]+::.+$"
    )
    for line, finding in zip(out, report.findings, strict=False):
        match = pattern.match(line)
        assert match, line
        assert match.group(2) == str(path).replace(":", "%3A").replace(",", "%2C")
        assert finding.rule in line
        level = {"high": "error", "medium": "warning", "low": "notice"}[finding.severity]
        assert match.group(1) == level
    # Line and column point at the finding's first place in the file (the subject is line 1).
    first_with_place = next(f for f in report.findings if f.spans)
    span = first_with_place.spans[0]
    if span.field == "body":
        body_start_line = 3
        lines_before = SPAM.split("\n\n", 1)[1][: span.start].count("\n")
        assert (
            f"line={body_start_line + lines_before}" in out[report.findings.index(first_with_place)]
        )
    assert out[-1].startswith("::notice") and f"{report.score}/100" in out[-1]


def test_github_escapes_what_would_break_a_workflow_command() -> None:
    from inmail_checker.render import _github_escape

    assert _github_escape("a%b\nc\r") == "a%25b%0Ac%0D"
    assert _github_escape("x:y,z", property_value=True) == "x%3Ay%2Cz"


def test_the_pre_commit_hook_runs_the_cli() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "inmail-check" and hook["language"] == "python"
    command, *options = hook["entry"].split()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert command in scripts["project"]["scripts"]
    # pre-commit adds the staged files' names; the entry's options must parse with them.
    assert invoke(*options, "--format", "json", "-", stdin=GENUINE).code == 0
