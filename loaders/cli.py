"""Command line of the data layer.

    python -m loaders validate                 check data/curated/
    python -m loaders validate FILE…           check an import file without saving
    python -m loaders import FILE… [--replace] [--add-unit 名称=类别]
    python -m loaders import NOTICE [--district 区名] [--doc-no 文号] [--year 年] [--accept-new] [--lead-first]
                                               a notice as published (.docx .xlsx .csv .txt .pdf)
    python -m loaders history                  earlier versions of data/curated/
    python -m loaders restore VERSION          make an earlier version current again
    python -m loaders package DOC_NO OUT.xlsx  one notice as an import file (a template)
    python -m loaders export OUTDIR [--as-of YYYY-MM-DD]   the export contract (with progress.csv, task_status.csv)
    python -m loaders progress …               progress accounts, ledger import, cadence (loaders/progress/cli.py)
    python -m loaders deck OUT.pptx [--district 区县] [--year Y] [--leader 姓名] [--unit 单位] [--pdf OUT.pdf]
                               [--as-of YYYY-MM-DD] [--database URL]
                                               the review-meeting deck (as in 汇报模式), progress as of a date
"""

from __future__ import annotations

import argparse
import shlex
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from loaders.clock import local_text
from loaders.curated import DEFAULT_CURATED_DIR
from loaders.export import write_export
from loaders.frames import load_frames
from loaders.importing import ImportPlan, notice_workbook, plan_import
from loaders.package import MAX_IMPORT_BYTES, UploadedFile, read_package
from loaders.problems import CuratedDataError, Problem
from loaders.progress import cli as progress_cli
from loaders.progress.export import write_progress_export
from loaders.reading import SEPARATOR_RULES, ReadOptions, check_notice, is_notice
from loaders.store import SaveBusy, StaleBase, damaged_records, history_note, restore, save_tables, sync, versions
from loaders.vocabulary import NOT_GIVEN

REPLAN_ATTEMPTS = 10


class _Parser(argparse.ArgumentParser):
    """argparse that tells how to name a file whose name starts with '-' (else read as an option)."""

    def error(self, message: str):
        if "unrecognized arguments" in message or "files" in message:
            message += "。文件名以 - 开头时，写成 ./-文件名，或在文件名前加 --（如 import -- -通知.xlsx）"
        super().error(message)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m loaders", description="工作报告责任分解看板的数据命令")
    parser.add_argument("--curated", type=Path, default=DEFAULT_CURATED_DIR,
                        help="规范表目录（默认 data/curated）")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="按导出约定写出 CSV")
    export.add_argument("out_dir", type=Path)
    export.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="task_status.csv 的截至日期（默认今天）")
    export.add_argument("--database", default=None, help="落实进度数据库地址（默认同看板）")
    validate = commands.add_parser("validate", help="只检查，不写任何文件：不给文件时检查规范表，给文件时检查导入文件")
    importing = commands.add_parser("import", help="检查并导入一份通知的表（XLSX，或按表名命名的 CSV，或含这些 CSV 的目录）")
    for command in (validate, importing):
        command.add_argument("files", type=Path, nargs="*" if command is validate else "+")
        command.add_argument("--replace", action="store_true", help="确认替换已导入过的同一文号的通知")
        command.add_argument("--district", default="", metavar="区名",
                             help="通知原文：行政区（默认从发文机关读出，如 温州市鹿城区人民政府办公室 → 鹿城区）")
        command.add_argument("--doc-no", default="", metavar="文号", help="通知原文：文号（原文中没有时必填）")
        command.add_argument("--year", default="", metavar="年", help="通知原文：年度（默认取自文号或标题）")
        command.add_argument("--issuer", default="", metavar="发文机关", help="通知原文：发文机关（原文中没有时必填）")
        command.add_argument("--accept-new", action="store_true",
                             help="通知原文：把词典中没有的单位（按名称推断类别）和领导加入词典，并列出")
        command.add_argument("--lead-first", action="store_true",
                             help="通知原文：列第一位的责任单位为牵头单位（原文未用 * 标注时）")
        command.add_argument("--add-unit", action="append", default=[], metavar="名称=类别",
                             help="把新单位加入单位词典（可多次使用）")
    importing.add_argument("--by", default="命令行", help="记入版本历史的操作人")
    commands.add_parser("history", help="列出规范表的历史版本")
    restore_command = commands.add_parser("restore", help="恢复到某个历史版本（当前版本也会先保存）")
    restore_command.add_argument("version")
    package = commands.add_parser("package", help="把一份已导入的通知写成导入用的 XLSX（可作下一年的模板）")
    package.add_argument("doc_no")
    package.add_argument("out", type=Path)
    progress_cli.add_commands(commands)
    deck = commands.add_parser("deck", help="写出汇报模式的演示文稿（PPTX，可另存 PDF）")
    deck.add_argument("out", type=Path, help="PPTX 文件")
    deck.add_argument("--district", help="区县（数据含多个区县时必填）")
    deck.add_argument("--year", type=int, help="年度（默认该区县最近一年）")
    deck.add_argument("--leader", help="只汇报这位领导牵头的任务")
    deck.add_argument("--unit", help="只汇报这个单位承担的任务")
    deck.add_argument("--pdf", type=Path, help="同时写出同样页面的 PDF（需要 LibreOffice）")
    deck.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                      help="进度亮灯、需协调事项截至的日期（默认今天，例如季度末 2022-09-30）")
    deck.add_argument("--database", default=None,
                      help="落实进度数据库地址（默认 WORK_REPORT_DATABASE_URL，未设置时为 data/progress.sqlite3）")
    args = parser.parse_args(argv)

    try:  # the folder becomes the current version of the database store (another replica may have saved)
        sync(args.curated, getattr(args, "database", None), adopt=False)
    except (SQLAlchemyError, OSError) as error:
        print(f"无法打开看板数据库（{type(error).__name__}）：请检查 WORK_REPORT_DATABASE_URL 与数据库服务。", file=sys.stderr)
        return 1
    if args.command == "progress":
        return progress_cli.run(args, lambda: load_frames(args.curated))
    if args.command in ("validate", "import") and args.files:
        return _import(args)
    if args.command == "history":
        return _history(args.curated)
    if args.command == "restore":
        return _restore(args.curated, args.version)
    if args.command == "package":
        return _package(args.curated, args.doc_no, args.out)
    try:
        frames = load_frames(args.curated)
    except CuratedDataError as error:
        _print_problems(error.problems, "规范表", "未导出任何文件")
        return 1
    if args.command == "validate":
        print(f"规范表检查通过：{len(frames.tasks)} 条任务，{len(frames.task_units)} 条单位分工，"
              f"{len(frames.targets)} 个量化指标。")
        return 0
    if args.command == "deck":
        return _deck(frames, args)
    for path in write_export(frames, args.out_dir) + write_progress_export(frames, args.out_dir, args.database,
                                                                             args.as_of):
        print(path)
    return 0


# what the command line offers for a kind of problem (the messages themselves speak of the page)
FLAG_HINTS = {
    "unknown_unit": "命令行：--accept-new 按名称推断类别加入，或 --add-unit {value}=类别",
    "unknown_leader": "命令行：--accept-new 加入当年领导名单",
    "no_district": "命令行：--district 区名",
    "no_year": "命令行：--year 年份",
    "headless_table": "命令行：把原文表头改成写明各列的样子（如“序号、重点工作、责任单位、备注”）后再导入，或在数据维护页上指定各列",
    "no_header": "命令行：把原文表头中任务内容那一列改名为“重点工作”或“任务内容”后再导入，或在数据维护页上指定各列",
}


def _print_problems(problems: list[Problem], what: str, consequence: str) -> None:
    print(f"{what}有 {len(problems)} 处问题，{consequence}：", file=sys.stderr)
    for problem in problems:
        hint = FLAG_HINTS.get(problem.code, "").format(value=problem.value or "名称")
        print(f"- {problem}" + (f"（{hint}）" if hint and "--" not in problem.fix else ""), file=sys.stderr)


def read_files(paths: list[Path]) -> list[UploadedFile]:
    """Return the files named on the command line; a folder stands for the CSV files in it.

    A file larger than the import limit is not read whole: its first bytes and its size are enough
    for read_package to refuse it.
    """
    files = []
    for path in paths:
        for member in sorted(path.glob("*.csv")) if path.is_dir() else [path]:
            with open(member, "rb") as handle:
                files.append(UploadedFile(member.name, handle.read(MAX_IMPORT_BYTES + 1), member.stat().st_size))
    return files


def import_command(files: list[Path], replace: bool) -> str:
    """Return the import command for files, safe to paste into a shell (quoted, '-' names not options)."""
    names = [str(path) if not str(path).startswith("-") else f"./{path}" for path in files]
    return ("python -m loaders import " + ("--replace " if replace else "") + "-- "
            + " ".join(shlex.quote(name) for name in names))


def parse_added_units(values: list[str]) -> tuple[dict[str, str], list[Problem]]:
    """Return {unit: category} from 名称=类别 arguments, and the arguments that are not of that form."""
    units, problems = {}, []
    for value in values:
        name, _, category = value.partition("=")
        if not name.strip() or not category.strip():
            problems.append(Problem("--add-unit", None, None, f"“{value}”不是“名称=类别”的形式",
                                    "例如 --add-unit 区数据局=区级部门"))
        else:
            units[name.strip()] = category.strip()
    return units, problems


def _import(args) -> int:
    missing = [str(p) for p in args.files if not p.exists()]
    if missing:
        print(f"找不到文件：{'、'.join(missing)}", file=sys.stderr)
        return 2
    added, problems = parse_added_units(args.add_unit)
    uploads = read_files(args.files)
    if any(is_notice(upload) for upload in uploads):
        return _import_notice(args, uploads, added, problems)
    package, read_problems = read_package(uploads)
    problems += read_problems
    for note in package.notes:
        print(f"注意：{note}")
    plan = None
    if not problems:
        plan, problems = plan_import(package, args.curated, replace=args.replace, added_units=added)
    if problems:
        _print_problems(problems, "导入文件", "规范表未做任何修改")
        return 1
    print_plan(plan)
    if args.command == "validate":
        print("检查通过（未保存）。导入请运行：" + import_command(args.files, plan.replaced_documents))
        return 0
    for _ in range(REPLAN_ATTEMPTS):
        if not plan.changed:
            return 0
        try:
            version = save_tables(args.curated, {name: plan.merged[name] for name in plan.changed}, plan.action(),
                                  args.by, base=plan.base)
        except SaveBusy as error:
            print(str(error), file=sys.stderr)
            return 1
        except StaleBase as error:
            # another import saved after this one was checked: check again against the data as it is now
            print(f"注意：{error.args[0].split('。')[0]}。已按现在的数据重新检查：")
            plan, problems = plan_import(package, args.curated, replace=args.replace, added_units=added)
            if problems:
                _print_problems(problems, "重新检查时导入文件", "规范表未做任何修改")
                return 1
            print_plan(plan)
            continue
        print(f"已保存：{plan.action()}。导入前的数据保存为版本 {version}（python -m loaders restore {version} 可恢复）。")
        return 0
    print(f"规范表在检查期间反复被修改（{REPLAN_ATTEMPTS} 次），本次未保存；请稍后重新导入。", file=sys.stderr)
    return 1


def _import_notice(args, uploads: list[UploadedFile], added: dict[str, str], problems: list[Problem]) -> int:
    """Read a notice as published, check it against the curated data, then (import) save it."""
    options = ReadOptions(district=args.district, doc_no=args.doc_no, year=args.year, lead_first=args.lead_first,
                          issuer=args.issuer)
    checked = check_notice(uploads, args.curated, options, accept_new=args.accept_new,
                           replace_existing=args.replace, added_units=added)
    for reading in checked.readings:
        for layout in reading.layouts:
            print(f"{reading.file} 识别为：{layout}")
        for line, text in reading.unplaced:
            print(f"请核对：第{line}行“{text}”写的是责任分工，但上方没有可归属的任务，未计入任何任务")
        unsure = reading.unsure
        if len(unsure):
            print(f"请核对（{len(unsure)} 行读法不确定）：")
            for row in unsure.itertuples():
                print(f"- 第{row.line}行 {row.task_id}：{row.check}")
    problems = problems + checked.problems
    if problems:
        _print_problems(problems, "通知原文", "规范表未做任何修改")
        if any(p.column in ("units", "leaders") for p in problems):
            print("分隔规则：" + SEPARATOR_RULES, file=sys.stderr)
        return 1
    plan = checked.plan
    reading = checked.readings[0]
    document = reading.tables["documents"].iloc[0]
    print(f"通知：{document['doc_no']}（{reading.district}，{document['year']} 年），成文日期 "
          f"{document['signed_date'] or NOT_GIVEN}，印发日期 {document['issued_date'] or NOT_GIVEN}，"
          f"{len(reading.rows)} 条任务")
    if args.accept_new:
        for row in reading.tables["units"].itertuples():
            print(f"新增单位（按名称推断类别）：{row.unit}={row.category}")
        new_leaders = plan.new_leaders
        for row in new_leaders.itertuples():
            print(f"新增领导：{row.leader}（{row.year}）{row.title}")
    print_plan(plan)
    if args.command == "validate":
        flags = "".join(f" {flag}" for flag, on in (("--accept-new", args.accept_new), ("--lead-first", args.lead_first))
                        if on)
        given = "".join(f" {flag} {shlex.quote(str(value))}" for flag, value in (
            ("--district", args.district), ("--doc-no", args.doc_no), ("--year", args.year),
            ("--issuer", args.issuer)) if value)
        command = import_command(args.files, bool(plan.replaced_documents))
        print("检查通过（未保存）。导入请运行：" + command.replace(" -- ", f"{flags}{given} -- ", 1))
        return 0
    if not plan.changed:
        return 0
    try:
        version = save_tables(args.curated, {name: plan.merged[name] for name in plan.changed}, plan.action(), args.by,
                              base=plan.base)
    except SaveBusy as error:
        print(str(error), file=sys.stderr)
        return 1
    except StaleBase as error:
        # another save landed after this notice was checked: nothing is overwritten, the person checks again
        print(f"{error.args[0]}。本次未保存，请重新运行导入命令（会按现在的数据重新检查）。", file=sys.stderr)
        return 1
    print(f"已保存：{plan.action()}。导入前的数据保存为版本 {version}（python -m loaders restore {version} 可恢复）。")
    return 0


def print_plan(plan: ImportPlan) -> None:
    """Print what an import adds or replaces."""
    for row in plan.summary().itertuples():
        print(f"{row.action} {row.doc_no}：任务 {row.tasks_before} → {row.tasks_after} 条，"
              f"{row.units} 个单位，{row.leaders} 位领导，{row.targets} 个量化指标")
    for title, frame, column in (("新增单位", plan.new_units, "unit"), ("新增领导", plan.new_leaders, "leader"),
                                 ("新增指标", plan.new_metrics, "metric")):
        if len(frame):
            print(f"{title}：{'、'.join(frame[column])}")
    if plan.changed:
        print("改动的规范表：" + "、".join(f"{name}.csv" for name in plan.changed))
    else:
        print("导入文件与现有数据完全相同，没有需要保存的改动。")


def _history(curated: Path) -> int:
    found = versions(curated)
    for message in damaged_records(curated):
        print(f"注意：{message}", file=sys.stderr)
    if note := history_note(curated):
        print(note)
    if not found:
        print("还没有历史版本（每次导入或恢复前的数据会保存在这里）。")
    for version in found:
        print(f"{version.version}  {local_text(version.saved_at)}  {len(version.documents)} 份通知 {version.tasks} 条任务"
              f"  之后：{version.action}{'（' + version.by + '）' if version.by else ''}")
    return 0


def _restore(curated: Path, version: str) -> int:
    try:
        saved = restore(curated, version, by="命令行")
    except KeyError:
        print(f"没有版本“{version}”；python -m loaders history 列出所有版本。", file=sys.stderr)
        return 1
    except CuratedDataError as error:
        _print_problems(error.problems, f"版本 {version} ", "未恢复")
        return 1
    except SaveBusy as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"已恢复到版本 {version}；恢复前的数据保存为版本 {saved}。")
    return 0


def _package(curated: Path, doc_no: str, out: Path) -> int:
    try:
        out.write_bytes(notice_workbook(curated, doc_no))
    except KeyError:
        print(f"没有文号为“{doc_no}”的通知。", file=sys.stderr)
        return 1
    except CuratedDataError as error:
        _print_problems(error.problems, "规范表", "未写出文件")
        return 1
    print(out)
    return 0


def _deck(frames, args) -> int:
    from loaders.meeting.deck import DeckChoice, build_deck, progress_of, unknown_choices
    from loaders.meeting.pdf import PdfUnavailable, pptx_to_pdf
    from loaders.meeting.powerpoint import deck_pptx
    from loaders.progress.export import stored_progress
    from loaders.clock import local_today

    tasks = frames.tasks if not args.district else frames.tasks[frames.tasks["district"] == args.district]
    latest = int(tasks["year"].max()) if len(tasks) else 0
    choice = DeckChoice(args.year if args.year is not None else latest, args.leader, args.unit, args.district)
    problems = unknown_choices(frames, choice)
    if problems:
        print("；".join(problems), file=sys.stderr)
        return 2
    as_of = args.as_of or local_today()
    progress = progress_of(frames, choice, *stored_progress(args.database), as_of)
    slides = build_deck(frames, choice, progress)
    pptx = deck_pptx(slides)
    args.out.write_bytes(pptx)
    print(f"{args.out}：{len(slides)} 页（进度截至 {as_of:%Y-%m-%d}）")
    if args.pdf:
        try:
            args.pdf.write_bytes(pptx_to_pdf(pptx))
        except PdfUnavailable as error:
            print(str(error), file=sys.stderr)
            return 1
        print(args.pdf)
    return 0
