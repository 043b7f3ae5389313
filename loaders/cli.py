"""Command line: `python -m loaders export OUTDIR` and `python -m loaders validate [DIR]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loaders.curated import DEFAULT_CURATED_DIR
from loaders.export import write_export
from loaders.frames import load_frames
from loaders.problems import CuratedDataError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m loaders", description="工作报告责任分解看板的数据命令")
    parser.add_argument("--curated", type=Path, default=DEFAULT_CURATED_DIR,
                        help="规范表目录（默认 data/curated）")
    commands = parser.add_subparsers(dest="command", required=True)
    export = commands.add_parser("export", help="按导出约定写出 CSV")
    export.add_argument("out_dir", type=Path)
    commands.add_parser("validate", help="只检查规范表，不写任何文件")
    args = parser.parse_args(argv)

    try:
        frames = load_frames(args.curated)
    except CuratedDataError as error:
        print(f"规范表有 {len(error.problems)} 处问题，未导出任何文件：", file=sys.stderr)
        for problem in error.problems:
            print(f"- {problem}", file=sys.stderr)
        return 1

    if args.command == "validate":
        print(f"规范表检查通过：{len(frames.tasks)} 条任务，{len(frames.task_units)} 条单位分工，"
              f"{len(frames.targets)} 个量化指标。")
        return 0
    for path in write_export(frames, args.out_dir):
        print(path)
    return 0
