"""`python -m loaders progress …`: accounts, ledger import, the per-notice cadence.

    python -m loaders progress add-account --district 鹿城区 --unit 区经信局 --login jxj   (password: prompt or stdin)
    python -m loaders progress add-account --admin --login admin
    python -m loaders progress add-account --district 鹿城区 --unit 区经信局 --login jxj2 --email a@b.gov.cn --no-password
    python -m loaders progress set-email --login jxj --email zhang.san@example.gov.cn   (OIDC; --email "" unbinds)
    python -m loaders progress accounts
    python -m loaders progress import LEDGER.xlsx [--by 名字]
    python -m loaders progress cadence DOC_NO quarter|month [--by 名字]
    python -m loaders progress ledger-export OUT.xlsx [--as-of YYYY-MM-DD] [--district 区县] [--year Y] [--leader 姓名]
"""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path

from loaders.clock import local_today
from loaders.frames import Frames
from loaders.progress.accounts import accounts, add_account, set_email
from loaders.progress.db import database_url, open_database
from loaders.progress.ledger import import_ledger
from loaders.progress.periods import CADENCES
from loaders.progress.reports import Writer, set_cadence, task_book


def add_commands(commands) -> None:
    """Add the `progress` command and its subcommands to the loaders CLI."""
    progress = commands.add_parser("progress", help="落实进度：填报账号、台账导入、填报周期")
    progress.add_argument("--database", default=None,
                          help="数据库地址（默认 WORK_REPORT_DATABASE_URL，未设置时为 data/progress.sqlite3）")
    sub = progress.add_subparsers(dest="progress_command", required=True)
    account = sub.add_parser("add-account", help="新建填报账号（密码从提示或标准输入读取）")
    account.add_argument("--login", required=True)
    account.add_argument("--district", default="")
    account.add_argument("--unit", default="")
    account.add_argument("--admin", action="store_true", help="管理员账号：可查看和更正所有任务")
    account.add_argument("--by", default="命令行", help="创建人")
    account.add_argument("--email", default="", help="统一身份认证（OIDC）账号的邮箱：用它登录即为该账号")
    account.add_argument("--no-password", action="store_true", help="不设密码，只能用统一身份认证登录（须写 --email）")
    email = sub.add_parser("set-email", help="为已有账号绑定（或用 --email \"\" 解除）统一身份认证邮箱")
    email.add_argument("--login", required=True)
    email.add_argument("--email", required=True)
    sub.add_parser("accounts", help="列出账号")
    ledger = sub.add_parser("import", help="从台账（XLSX）批量导入进度填报，全部通过才保存")
    ledger.add_argument("ledger", type=Path)
    ledger.add_argument("--by", default="命令行", help="记为填报人")
    ledger.add_argument("--reported-on", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="台账中没有“填报日期”的行记为这一天报送（默认导入当天）")
    cadence = sub.add_parser("cadence", help="设定一份通知按季度（quarter）或按月（month）填报")
    cadence.add_argument("doc_no")
    cadence.add_argument("cadence", choices=sorted(CADENCES))
    cadence.add_argument("--by", default="命令行")
    export = sub.add_parser("ledger-export", help="写出进度台账（XLSX：每项任务的状态、序时进度、最新一次填报）")
    export.add_argument("out", type=Path, help="XLSX 文件")
    export.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                        help="截至日期（默认今天，例如季度末 2022-09-30）")
    export.add_argument("--district", help="区县（数据含多个区县时必填）")
    export.add_argument("--year", type=int, help="年度（默认全部年度）")
    export.add_argument("--leader", help="只含这位领导牵头的任务")


def run(args, load) -> int:
    """Run a `progress` subcommand; load() returns the frames (only called when needed)."""
    url = database_url(args.database)
    if args.progress_command == "add-account":
        return _add_account(args, url, load)
    if args.progress_command == "set-email":
        problems = set_email(open_database(url), args.login, args.email)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        if not problems:
            print(f"账号 {args.login} " + (f"绑定邮箱 {args.email.strip().lower()}。" if args.email.strip() else "已解除邮箱。"))
        return 1 if problems else 0
    if args.progress_command == "accounts":
        for row in accounts(open_database(url)):
            role = "管理员" if row["is_admin"] else f"{row['district']} {row['unit']}"
            login_by = "、".join(filter(None, ["密码" if row["has_password"] else "", row["email"] or ""]))
            print(f"{row['login']}\t{role}\t登录：{login_by}\t创建：{row['created_by']} {row['created_at']:%Y-%m-%d %H:%M}")
        return 0
    if args.progress_command == "cadence":
        frames: Frames = load()
        if args.doc_no not in set(frames.documents["doc_no"]):
            print(f"没有文号为“{args.doc_no}”的通知。", file=sys.stderr)
            return 1
        set_cadence(open_database(url), args.doc_no, args.cadence, args.by)
        print(f"{args.doc_no} 改为按{CADENCES[args.cadence]}填报。")
        return 0
    if args.progress_command == "ledger-export":
        return _ledger_export(args, url, load())
    return _import(args, url, load)


def _ledger_export(args, url: str, frames: Frames) -> int:
    from loaders.progress.export import stored_progress
    from loaders.progress.ledger_export import applied_filters, ledger_board, ledger_xlsx
    from loaders.select import Filters

    districts = [d for d in frames.documents["district"].drop_duplicates() if d]
    if args.district and args.district not in districts:
        print(f"没有名为“{args.district}”的区县（可选：{'、'.join(districts)}）", file=sys.stderr)
        return 2
    if not args.district and len(districts) > 1:  # one district at a time, as on screen
        print(f"数据含 {len(districts)} 个区县，请用 --district 指定一个（{'、'.join(districts)}）", file=sys.stderr)
        return 2
    filters = Filters(years=(args.year,) if args.year else (), leader=args.leader,
                      district=args.district if len(districts) > 1 else None)
    as_of = args.as_of or local_today()
    board = ledger_board(frames, filters, *stored_progress(url), as_of)
    if board.empty:
        print("所选条件下没有任务，未写出文件（检查 --year、--leader）。", file=sys.stderr)
        return 1
    args.out.write_bytes(ledger_xlsx(board, applied_filters(filters, board), as_of))
    print(f"{args.out}：{len(board)} 项任务，截至 {as_of:%Y-%m-%d}")
    return 0


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再输一次：") != first:
            print("两次输入的密码不一致。", file=sys.stderr)
            return ""
        return first
    return sys.stdin.readline().rstrip("\n")


def _add_account(args, url: str, load) -> int:
    known = None
    if not args.admin:
        frames: Frames = load()
        known = set(zip(frames.task_units["district"], frames.task_units["unit"]))
    if args.no_password and not args.email:
        print("未创建账号：不设密码的账号要写 --email（用统一身份认证登录）。", file=sys.stderr)
        return 1
    password = "" if args.no_password else _read_password()
    if not args.no_password and not password:
        print("未创建账号：没有读到密码（只用统一身份认证登录的账号请加 --no-password）。", file=sys.stderr)
        return 1
    problems = add_account(open_database(url), args.login, password, args.by, args.district, args.unit,
                           args.admin, known, email=args.email)
    if problems:
        print("未创建账号：", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    print(f"已创建账号 {args.login}（{'管理员' if args.admin else args.district + ' ' + args.unit}）。")
    return 0


def _import(args, url: str, load) -> int:
    if not args.ledger.exists():
        print(f"找不到文件：{args.ledger}", file=sys.stderr)
        return 2
    frames: Frames = load()
    stored, problems = import_ledger(open_database(url), args.ledger.read_bytes(), args.ledger.name,
                                     task_book(frames.tasks, frames.task_units), Writer(args.by, is_admin=True),
                                     reported_on=args.reported_on)
    if problems:
        print(f"台账有 {len(problems)} 处问题，未保存任何填报：", file=sys.stderr)
        for problem in problems:
            print(f"- {problem}", file=sys.stderr)
        return 1
    print(f"已保存 {stored} 条进度填报（填报人：{args.by}）。")
    return 0
