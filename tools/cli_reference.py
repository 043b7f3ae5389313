"""Write docs/命令行.md, the command-line reference, from the argparse parser of `python -m loaders`.

Run from the repository root:

    .venv/bin/python -m tools.cli_reference            # rewrite docs/命令行.md
    .venv/bin/python -m tools.cli_reference --check    # exit 1 when docs/命令行.md is not what the parser says

tests/test_docs.py runs the check, so a new command or option cannot go undocumented.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from loaders import cli

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "命令行.md"
COMMAND = ".venv/bin/python -m tools.cli_reference"
WIDTH = "100"  # argparse wraps help at the terminal width: a fixed one keeps the file stable

HEADER = f"""# 命令行参考

本文件由 `{COMMAND}` 从命令行本身（argparse）生成，请勿手改：改了命令或选项后在仓库根目录重新运行它；
`{COMMAND} --check` 在本文件过期时退出码为 1（`tests/test_docs.py` 也做这项检查）。
用法举例见[使用指南](使用指南.md)，导出文件的列见[参考](参考.md#导出约定)。

所有命令都在仓库根目录运行，形如 `.venv/bin/python -m loaders 命令 …`。
"""


class _Built(Exception):
    """Carries the parser out of loaders.cli.main, which builds it and parses at once."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        super().__init__()
        self.parser = parser


def loaders_parser() -> argparse.ArgumentParser:
    """Return the parser of `python -m loaders`, with the `progress` subcommands it adds."""
    build = getattr(cli, "build_parser", None)
    if build is not None:
        return build()

    # main() builds the parser and parses in one function: stop it at the parse and keep the parser
    def stop(parser, *args, **kwargs):
        raise _Built(parser)

    with mock.patch.object(argparse.ArgumentParser, "parse_args", stop):
        try:
            cli.main(["--help"])
        except _Built as built:
            return built.parser
    raise RuntimeError("loaders.cli.main() did not build a parser")


def subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, str, argparse.ArgumentParser]]:
    """Return (name, one-line help, parser) of each subcommand of parser, in the order they were added."""
    found = []
    for action in parser._actions:  # argparse keeps no public list of subparsers
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            seen = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:  # an alias names the same parser again
                    seen.add(id(sub))
                    found.append((name, helps.get(name, ""), sub))
    return found


def commands(parser: argparse.ArgumentParser, prefix: str = "") -> list[tuple[str, str, argparse.ArgumentParser]]:
    """Return every subcommand and sub-subcommand as ("progress import", help, parser), depth first."""
    found = []
    for name, help_text, sub in subcommands(parser):
        full = f"{prefix} {name}".strip()
        found.append((full, help_text, sub))
        found += commands(sub, full)
    return found


@contextmanager
def _fixed_width():
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = WIDTH
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = before


def _block(text: str) -> str:
    return "```text\n" + text.rstrip() + "\n```\n"


def reference() -> str:
    """Return the text of docs/命令行.md as the parser describes the commands now."""
    parser = loaders_parser()
    with _fixed_width():
        parts = [HEADER, f"\n## {parser.prog}\n\n", _block(parser.format_help())]
        for name, help_text, sub in commands(parser):
            parts.append(f"\n## {parser.prog} {name}\n\n")
            if help_text:
                parts.append(f"{help_text}。\n\n" if not help_text.endswith(("。", "）", ")")) else f"{help_text}\n\n")
            parts.append(_block(sub.format_help()))
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(prog=f"{COMMAND}", description="生成 docs/命令行.md（命令行参考）")
    arguments.add_argument("--check", action="store_true", help="只检查：文件过期时退出码为 1，不写文件")
    args = arguments.parse_args(argv)
    text = reference()
    if args.check:
        current = REFERENCE.read_text("utf-8") if REFERENCE.exists() else ""
        if current != text:
            print(f"{REFERENCE.relative_to(ROOT)} 已过期：请运行 {COMMAND}", file=sys.stderr)
            return 1
        print(f"{REFERENCE.relative_to(ROOT)} 与命令行一致。")
        return 0
    REFERENCE.write_text(text, "utf-8", newline="\n")
    print(f"已写出 {REFERENCE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
