"""The command line's exit codes, as a table, from the one table the CLI itself reads."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from inmail_checker.cli.exits import EXITS

from .html import h, lines, table


def exit_codes() -> list[Element]:
    return lines(
        table(
            ["Code", "Name", "Meaning"],
            [[str(e.code), h("code", {}, e.name), e.meaning] for e in EXITS],
            numeric=frozenset({0}),
        )
    )
