"""The docs describe everything a user can name: columns, status codes, commands, URL parameters, settings.

Columns of the curated tables and of the export contract, status codes and their labels, URL
parameters and settings (environment variables the code reads, the sections and keys of
.streamlit/secrets.toml.example and those the code reads, the options of .streamlit/config.toml) are
looked for in docs/参考.md (as `name`, in backticks; settings and URL parameters in their own
sections). Commands are looked for in docs/命令行.md, which must equal what tools/cli_reference.py
generates from the parser now. README.md stays a short front door
whose quick start is real, and every relative link in README.md and docs/*.md leads to a file.
The expected lists come from the code and the config files, never from this file: a new column,
command, parameter or setting without docs makes a test fail.
"""

import ast
import re
import tomllib
from pathlib import Path
from urllib.parse import unquote

from loaders.curated import SPECS
from loaders.export import CONTRACT, EXTRA
from loaders.progress import export as progress_export
from loaders.progress.reminders import ReminderSettings
from loaders.progress.status import StatusRules
from loaders.vocabulary import STATUS_LABELS
from tools import cli_reference
from ui.filters import KNOWN_PARAMS
from ui.meeting import PART_KEY
from ui.sections import SECTION_KEYS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text("utf-8")
REFERENCE = (DOCS / "参考.md").read_text("utf-8")
CLI_REFERENCE = DOCS / "命令行.md"
MAX_README_LINES = 150
# the code whose settings and URL parameters users meet (bench/, tools/ and tests/ set their own)
APP_CODE = [ROOT / "app.py", *sorted((ROOT / "loaders").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py")),
            *sorted((ROOT / "pages").rglob("*.py"))]


def section(text: str, heading: str) -> str:
    """Return the part of a Markdown text under a `## heading`, up to the next `## `."""
    assert f"\n## {heading}" in text, f"no section “## {heading}”"
    return text.split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]


def documented(name: str, text: str | None = None) -> bool:
    """Return whether name appears in backticks in text (docs/参考.md when not given)."""
    return f"`{name}`" in (REFERENCE if text is None else text)


# --- columns, status codes, thresholds (docs/参考.md) --------------------------------------------


def test_every_curated_column_is_documented():
    missing = [f"{spec.file}:{c}" for spec in SPECS.values() for c in spec.columns if not documented(c)]
    missing += [f"file:{spec.file}" for spec in SPECS.values() if not documented(spec.file)]
    assert missing == []


def test_every_export_column_is_documented():
    missing = [f"{name}:{c}" for name in CONTRACT for c in CONTRACT[name] + EXTRA[name] if not documented(c)]
    missing += [f"file:{name}" for name in CONTRACT if not documented(name)]
    assert missing == []


def test_every_progress_export_column_and_status_code_is_documented():
    contract = {**progress_export.CONTRACT}
    missing = [f"{name}:{c}" for name in contract
               for c in contract[name] + progress_export.EXTRA[name] if not documented(c)]
    missing += [f"file:{name}" for name in contract if not documented(name)]
    missing += [f"status:{code}" for code in STATUS_LABELS if not documented(code)]
    missing += [f"label:{label}" for label in STATUS_LABELS.values() if label not in REFERENCE]
    assert missing == []


def test_status_rule_thresholds_in_the_docs_are_the_defaults():
    rules = StatusRules()
    rule = section(REFERENCE, "亮灯规则")
    for value in (rules.behind_from, rules.far_behind_above):
        assert f"{value:g} 个百分点" in rule
    assert f"结束后 {rules.deadline_days} 天" in rule
    for code, label in STATUS_LABELS.items():
        assert f"`{code}` {label}" in rule, code


# --- commands (docs/命令行.md) ----------------------------------------------------------------------


def test_every_command_and_progress_subcommand_is_in_the_cli_reference():
    text = CLI_REFERENCE.read_text("utf-8")
    parser = cli_reference.loaders_parser()
    names = [name for name, _, _ in cli_reference.commands(parser)]
    assert "progress" in names and any(name.startswith("progress ") for name in names)  # the walk finds both levels
    missing = [name for name in names if f"\n## {parser.prog} {name}\n" not in text]
    assert missing == []


def test_cli_reference_is_what_the_parser_says_now():
    assert CLI_REFERENCE.read_text("utf-8") == cli_reference.reference(), \
        "docs/命令行.md 已过期：运行 .venv/bin/python -m tools.cli_reference"
    assert cli_reference.main(["--check"]) == 0


def test_cli_reference_check_fails_on_a_stale_file(tmp_path, monkeypatch):
    stale = tmp_path / "命令行.md"
    stale.write_text(CLI_REFERENCE.read_text("utf-8").replace("## python -m loaders deck", "## python -m loaders 旧命令"),
                     "utf-8")
    monkeypatch.setattr(cli_reference, "REFERENCE", stale)
    monkeypatch.setattr(cli_reference, "ROOT", tmp_path)
    assert cli_reference.main(["--check"]) == 1


# --- URL parameters (docs/参考.md “网址参数”) --------------------------------------------------------


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """Return the module-level names bound to a string constant (A = "a" and A, B = "a", "b")."""
    names = {}
    for node in tree.body:
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = []
            if isinstance(target, ast.Name):
                pairs = [(target, node.value)]
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                pairs = list(zip(target.elts, node.value.elts))
            for name, value in pairs:
                if isinstance(name, ast.Name) and isinstance(value, ast.Constant) and isinstance(value.value, str):
                    names[name.id] = value.value
    return names


def _string(node, names: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    return None


def url_parameters_in_code() -> set[str]:
    """Return the URL parameters the screens bind or read, found in ui/ and pages/ (plus app.py).

    Widgets bound with bind="query-params" (their key), st.query_params.get/get_all/pop("x"),
    st.query_params["x"], and on_request(..., key="x"); a key held in a module constant is resolved.
    """
    found = set()
    for path in APP_CODE:
        if path.is_relative_to(ROOT / "loaders"):
            continue  # loaders/ never imports streamlit
        tree = ast.parse(path.read_text("utf-8"))
        names = _module_strings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                keywords = {k.arg: k.value for k in node.keywords}
                bound = _string(keywords.get("bind"), {}) == "query-params"
                callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if (bound or callee == "on_request") and "key" in keywords:
                    found.add(_string(keywords["key"], names))
                reads = (isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "get_all", "pop")
                         and "query_params" in ast.unparse(node.func.value))
                if reads and node.args:
                    found.add(_string(node.args[0], names))
            if isinstance(node, ast.Subscript) and "query_params" in ast.unparse(node.value):
                found.add(_string(node.slice, names))
    found.discard(None)
    return found


def test_url_parameter_scan_finds_the_bound_widgets():
    found = url_parameters_in_code()
    assert {"q", "slide", "deck_as_of", "kind", "year_from"} <= found  # the scan sees literal keys and constants


def test_every_url_parameter_is_documented():
    parameters = set(KNOWN_PARAMS) | set(SECTION_KEYS) | {PART_KEY} | url_parameters_in_code()
    documented_here = section(REFERENCE, "网址参数")
    missing = sorted(p for p in parameters if not documented(p, documented_here))
    assert missing == []


# --- settings (docs/参考.md “设置”) ------------------------------------------------------------------


def environment_variables_in_code() -> set[str]:
    pattern = re.compile(r"WORK_REPORT_[A-Z_]+")
    return {name.rstrip("_") for path in APP_CODE for name in pattern.findall(path.read_text("utf-8"))}


def secrets_example() -> dict:
    """Return .streamlit/secrets.toml.example parsed, its commented-out sections and keys included."""
    text = (ROOT / ".streamlit" / "secrets.toml.example").read_text("utf-8")
    commented = re.compile(r"#\s*(\[[A-Za-z0-9_.]+\]|[A-Za-z0-9_]+\s*=.*)")  # "# [auth]", "# emails = [...]"
    lines = []
    for line in text.splitlines():
        setting = commented.fullmatch(line.strip())
        lines.append(setting.group(1) if setting else line)
    return tomllib.loads("\n".join(lines))


def secrets_read_by_code() -> dict[str, set[str]]:
    """Return the secrets.toml sections the code reads, with the keys it reads from them by name.

    Sections: secrets_section("x"), st.secrets.get("x"), st.secrets["x"]; keys: secrets_section("x").get("k").
    A section read into a settings class (ReminderSettings.from_section) takes the class's fields as its keys.
    """
    found: dict[str, set[str]] = {}
    for path in APP_CODE:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                callee = ast.unparse(node.func)
                if callee.endswith(("secrets_section", "secrets.get")) and _string(node.args[0], {}):
                    found.setdefault(_string(node.args[0], {}), set())
                if (isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                        and isinstance(node.func.value, ast.Call) and ast.unparse(node.func.value.func).endswith(
                            "secrets_section") and node.func.value.args and _string(node.args[0], {})):
                    found.setdefault(_string(node.func.value.args[0], {}), set()).add(_string(node.args[0], {}))
            if isinstance(node, ast.Subscript) and ast.unparse(node.value).endswith("secrets") \
                    and _string(node.slice, {}):
                found.setdefault(_string(node.slice, {}), set())
    if "reminders" in found:
        found["reminders"] |= set(ReminderSettings.__dataclass_fields__)
    return found


def config_options() -> list[str]:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    return [f"{table}.{key}" for table, options in config.items() for key in options]


def test_settings_are_found_in_the_code_and_files():
    # the scans below must see something, or the tests that use them would pass on nothing
    assert "WORK_REPORT_DATABASE_URL" in environment_variables_in_code()
    secrets = secrets_example()
    assert "password" in secrets["admin"] and "emails" in secrets["admin"]  # a commented-out key is read too
    assert "auth" in secrets and "database" in secrets
    assert "server.fileWatcherType" in config_options()


def test_every_environment_variable_is_documented():
    settings = section(REFERENCE, "设置")
    missing = sorted(name for name in environment_variables_in_code() if not documented(name, settings))
    assert missing == []


def test_every_secrets_section_and_key_is_documented():
    settings = section(REFERENCE, "设置")
    missing = []
    for name, value in secrets_example().items():
        if isinstance(value, dict):
            missing += [f"[{name}]"] if not documented(f"[{name}]", settings) else []
            missing += [f"[{name}] {key}" for key in value if not documented(key, settings)]
        elif not documented(name, settings):
            missing.append(name)
    assert missing == []


def test_every_secrets_section_the_code_reads_is_documented():
    settings = section(REFERENCE, "设置")
    read = secrets_read_by_code()
    assert {"admin", "auth", "database"} <= set(read) and "password" in read["admin"]  # the scan sees them
    missing = [f"[{name}]" for name in read if not documented(f"[{name}]", settings)]
    missing += [f"[{name}] {key}" for name, keys in read.items() for key in keys if not documented(key, settings)]
    assert missing == []


def test_every_config_option_is_documented():
    settings = section(REFERENCE, "设置")
    missing = [option for option in config_options() if not documented(option, settings)]
    assert missing == []


# --- README and links --------------------------------------------------------------------------------


def test_readme_is_a_short_front_door():
    lines = README.splitlines()
    assert len(lines) <= MAX_README_LINES, f"README.md 有 {len(lines)} 行，上限 {MAX_README_LINES}"


def relative_links(path: Path) -> list[str]:
    """Return the targets of the Markdown links and images of a file that point into the repository."""
    text = re.sub(r"```.*?```", "", path.read_text("utf-8"), flags=re.S)  # code blocks hold no links
    targets = re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", text)
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t) and not t.startswith("#")]


def markdown_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted(DOCS.glob("*.md"))]


def test_every_relative_link_leads_to_a_file():
    broken = []
    for path in markdown_files():
        for target in relative_links(path):
            if not (path.parent / unquote(target.split("#", 1)[0])).exists():
                broken.append(f"{path.relative_to(ROOT)} → {target}")
    assert broken == []


def test_every_docs_file_is_linked_from_the_readme():
    linked = {(ROOT / unquote(t.split("#", 1)[0])).resolve() for t in relative_links(ROOT / "README.md")}
    missing = [p.name for p in sorted(DOCS.glob("*.md")) if p.resolve() not in linked]
    assert missing == []


def test_quick_start_has_two_commands_and_ci_runs_the_test_one():
    block = README.split("## 快速开始", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert len(commands) == 2
    for command in commands:
        assert (ROOT / command.split()[-1]).exists(), command
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert commands[1] in ci
