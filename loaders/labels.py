"""How people cite a task: 2020年度(34), 2022年度·一(7), 2022民生实事9-2 (and the district when there are several)."""

from __future__ import annotations

import pandas as pd


def task_labels(tasks: pd.DataFrame, district: bool = False) -> pd.Series:
    """Return task_label for every row of tasks, computed column-wise.

    Where numbering restarts under each leader's heading (2022 附件1–2) the
    heading's number is part of the label. With district=True the district
    comes first (鹿城区·2022年度(3)), for data that holds several districts.
    """
    year = tasks["year"].astype(str)
    seq = tasks["seq"].astype(str)
    part = tasks["part"].astype("string").fillna("")
    section = tasks["section_no"].map(lambda n: _chinese_number(int(n)) if pd.notna(n) else "")
    livelihood = year + "民生实事" + seq + ("-" + part).where(part != "", "")
    name = tasks["scope"].map({"annual": "年度", "five_year": "五年"}).fillna("")
    grouped = year + name + "·" + section + "(" + seq + ")"
    plain = year + name + "(" + seq + ")"
    in_groups = tasks["numbered_in_groups"].astype(bool) & tasks["section_no"].notna()
    labels = plain.where(~in_groups, grouped)
    labels = labels.where(tasks["scope"] != "livelihood", livelihood)
    if district:
        labels = tasks["district"].astype(str) + "·" + labels
    return labels


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九十"
    return digits[n] if n <= 10 else "十" + digits[n - 10]
