"""Quantitative targets in task text: extraction, metric names and year-on-year pairing.

A target is a number with a unit of measure in the task text ("增长7.5%左右",
"新增高新技术企业25家", "减负20亿元以上"). Numbers that only name or describe
something are not targets: inside quotes ("“251”工程", "“三类500强”"), glued
to Latin letters (PM2.5, 5G, 3A级) and amounts that qualify a noun
("20亿元以上产业项目1个", "总投资1500亿元的230个项目": there the count is
the target).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

# Longer units first so that "个百分点" wins over "个" and "人次" over "人".
COUNT_UNITS = (
    "个百分点", "个工作日", "个位次", "平方米", "公里", "人次",
    "家", "个", "人", "名", "台", "套", "幢", "座", "条", "处", "所", "间",
    "张", "亩", "户", "场", "对", "项", "管", "天", "辆", "吨",
)
CURRENCY_UNITS = ("美元", "元")
_UNIT = "|".join(["%"] + [re.escape(u) for u in CURRENCY_UNITS + COUNT_UNITS])
_NUMBER = r"\d+(?:\.\d+)?"
QUANTITY = re.compile(rf"(?P<number>{_NUMBER})(?P<magnitude>万|亿)?(?P<unit>{_UNIT})")

_AFTER_AT_LEAST = ("以上", "多")
_AFTER_AT_MOST = ("以内", "以下", "内")
_AFTER_APPROX = ("左右",)
_BEFORE_AT_LEAST = ("突破", "超过", "不少于", "至少")
_BEFORE_AT_MOST = ("控制在", "稳控在", "不超过", "最多", "压缩至", "前")
_CLAUSE_END = "，,。；;：:（(）)"
_GROWTH_VERBS = ("增长", "下降", "压减", "减少", "提高", "提升")
_LEADING_FILLER = re.compile(r"^(其中|确保全年|确保|力争|全年|实现|全区|我区|并|及|和)+")
_TRAILING_VERB = re.compile(
    r"(分别|均|年均|继续)?(增长|下降|压减|减少|提高|达到|达|稳定在|突破|控制在|稳控在|压缩至|最多|前|为)$")
_LEADING_VERB = re.compile(r"^(新开工|开工建设|开工|开建|新增|新建|建成|完成|打造|创成|引进|实施|推进|培育|招引)")
_ENUMERATION_TAIL = re.compile(r"等[^、，]*指标$")
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_TIME_UNITS = ("天", "个工作日")


@dataclass(frozen=True)
class Target:
    """One quantitative target found in a task text."""

    metric: str
    value: float
    unit: str
    qualifier: str  # approx, at_least, at_most, exact
    phrase: str
    kind: str  # growth, count, amount, ratio
    per_year_average: bool = False
    label: str = ""  # what the text calls it, before the metric dictionary names it


@dataclass
class MetricDictionary:
    """Canonical metric names with their synonyms (from metrics.csv)."""

    kinds: dict[str, str] = field(default_factory=dict)
    synonyms: list[tuple[str, str]] = field(default_factory=list)  # (synonym, metric), longest first
    parts: dict[str, list[str]] = field(default_factory=dict)
    _named: dict[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_frame(cls, metrics: pd.DataFrame) -> "MetricDictionary":
        dictionary = cls()
        pairs = []
        for row in metrics.itertuples():
            dictionary.kinds[row.metric] = row.kind
            names = [row.metric] + [s.strip() for s in row.synonyms.split("、") if s.strip()]
            pairs += [(name, row.metric) for name in names]
            if row.parts:
                dictionary.parts[row.metric] = [p.strip() for p in row.parts.split("、") if p.strip()]
        dictionary.synonyms = sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)
        return dictionary

    def name(self, label: str) -> str:
        """Return the canonical metric a label speaks of, or the label itself."""
        if label not in self._named:
            self._named[label] = next((metric for synonym, metric in self.synonyms if synonym in label), label)
        return self._named[label]


def working_text(content: str) -> str:
    """Return task text without the spaces the PDF put around numbers and Chinese."""
    return re.sub(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])", "", content)


def extract_targets(content: str, metrics: MetricDictionary) -> list[Target]:
    """Return the quantitative targets in one task text, in reading order."""
    text = working_text(content)
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    matches = [m for m in QUANTITY.finditer(text) if _is_target(text, m, quoted)]
    targets: list[Target] = []
    clause_floor = 0
    i = 0
    while i < len(matches):
        run = _value_run(text, matches, i)
        first, last = matches[i], matches[i + len(run) - 1]
        qualifier_end, qualifier = _qualifier(text, first.start(), last.end(), clause_floor)
        start = _clause_start(text, first.start(), clause_floor)
        pre = text[start:first.start()]
        post = _post_noun(text, qualifier_end)
        phrase = text[start:qualifier_end]
        if post:
            phrase = text[start:qualifier_end + len(post)]
        per_year_average = "年均" in pre[-6:]
        values = [_value(m) for m in run]
        unit = _unit(run[0])
        labels = _labels(pre, post, len(values), metrics)
        if len(labels) == 1 and len(labels[0]) <= 2 and targets:
            # "开建“大建大美”项目102个、建成43个": the noun is the previous one's
            labels = [labels[0] + _LEADING_VERB.sub("", targets[-1].label)]
        if len(values) == 1 and len(labels) > 1:
            values = values * len(labels)
        elif len(labels) != len(values):
            labels = [_label(pre, post)] * len(values)
        for label, value in zip(labels, values):
            metric = metrics.name(label)
            kind = _kind(unit, pre, metrics.kinds.get(metric))
            targets.append(Target(metric, value, unit, qualifier, phrase, kind, per_year_average, label))
        clause_floor = qualifier_end + len(post)
        i += len(run)
    return targets


def _is_target(text: str, match: re.Match, quoted: list[tuple[int, int]]) -> bool:
    start, end = match.span()
    if any(a <= start < b for a, b in quoted):
        return False
    if start > 0 and re.match(r"[A-Za-z.]", text[start - 1]):
        return False
    if end < len(text) and re.match(r"[A-Za-z]", text[end]):
        return False
    if match["unit"] in _TIME_UNITS:
        before, after = text[max(0, start - 3):start], text[end:end + 2]
        return after.startswith(_AFTER_AT_MOST) or before.endswith(("最多", "压缩至", "至"))
    if match["unit"] in CURRENCY_UNITS and _describes_noun(text, end):
        return False
    return True


_DESCRIPTOR_GLUE = re.compile(r"^(以上|以下)?(级)?(的)?")
_CHAINED_AMOUNT = re.compile(r"^、(?:\d+(?:\.\d+)?|[十百千]+)(?:万|亿)?(?:美)?元")


def _describes_noun(text: str, end: int) -> bool:
    """True when an amount qualifies the noun after it ("10亿元以上产业项目")."""
    rest = text[end:]
    chained = _CHAINED_AMOUNT.match(rest)
    if chained:  # "2亿元、5亿元、10亿元以上单体制造业项目": the last amount decides
        return _describes_noun(text, end + chained.end())
    glue = _DESCRIPTOR_GLUE.match(rest).end()
    after = rest[glue:glue + 1]
    return bool(after) and after not in _CLAUSE_END + "、“”"


def _value_run(text: str, matches: list[re.Match], i: int) -> list[re.Match]:
    """Return the matches from i that form one list of values ("92%、95%和96%")."""
    run = [matches[i]]
    for nxt in matches[i + 1:]:
        between = text[run[-1].end():nxt.start()]
        if between in ("、", "和") and _unit(nxt) == _unit(run[0]):
            run.append(nxt)
        else:
            break
    return run


def _qualifier(text: str, start: int, end: int, floor: int) -> tuple[int, str]:
    """Return where the target phrase ends and its qualifier."""
    after = text[end:end + 2]
    for words, qualifier in ((_AFTER_APPROX, "approx"), (_AFTER_AT_LEAST, "at_least"), (_AFTER_AT_MOST, "at_most")):
        for word in words:
            if after.startswith(word) and not (word == "多" and text[end + 1:end + 2] not in _CLAUSE_END + "、"):
                return end + len(word), qualifier
    before = text[max(floor, start - 4):start]
    if before.endswith(_BEFORE_AT_LEAST):
        return end, "at_least"
    if before.endswith(_BEFORE_AT_MOST):
        return end, "at_most"
    return end, "exact"


def _clause_start(text: str, position: int, floor: int) -> int:
    """Return where the clause holding a number starts.

    A bracketed aside ("整治“低散乱”企业（小作坊）200家") belongs to its clause;
    an open bracket that is not closed before the number starts one
    ("（其中普惠型托位550个）").
    """
    index = position - 1
    while index >= floor:
        char = text[index]
        if char in "）)":
            opening = max(text.rfind("（", floor, index), text.rfind("(", floor, index))
            index = opening - 1 if opening >= 0 else index - 1
            continue
        if char in _CLAUSE_END:
            return index + 1
        index -= 1
    if text[floor:floor + 1] in ("、", "和"):
        return floor + 1
    return floor


_POST_NOUN = re.compile(rf"(?:“[^”]*”|[^{re.escape(_CLAUSE_END)}、\d和“]|和(?!\d))*")


def _post_noun(text: str, end: int) -> str:
    """Return the noun written after a count ("20条背街小巷环境提升"), if any."""
    return _POST_NOUN.match(text, end).group(0)


def _label(pre: str, post: str) -> str:
    label = _LEADING_FILLER.sub("", pre)
    label = _TRAILING_VERB.sub("", label)
    return (label + post).strip("、和") or post or pre


def _labels(pre: str, post: str, n_values: int, metrics: MetricDictionary) -> list[str]:
    """Return one label per metric named before a value (or list of values)."""
    enumerating = re.search(r"(分别|均)\S{0,4}$", pre) or _ENUMERATION_TAIL.search(_TRAILING_VERB.sub("", pre))
    if not enumerating and n_values == 1:
        return [_label(pre, post)]
    subject = _TRAILING_VERB.sub("", _LEADING_FILLER.sub("", pre))
    subject = re.sub(r"(分别|均)$", "", subject)
    subject = _ENUMERATION_TAIL.sub("", subject)
    items = [s for s in subject.split("、") if s]
    if len(items) < n_values:
        items = [s for item in items for s in item.split("和") if s]
    if len(items) == 1 and n_values > 1:
        metric = metrics.name(items[0])
        items = metrics.parts.get(metric, items)
    return items


def _value(match: re.Match) -> float:
    number = float(match["number"])
    if match["magnitude"] and match["unit"] not in CURRENCY_UNITS:
        number *= 10_000 if match["magnitude"] == "万" else 100_000_000
    return round(number, 6)


def _unit(match: re.Match) -> str:
    if match["unit"] in CURRENCY_UNITS:
        return (match["magnitude"] or "") + match["unit"]
    return match["unit"]


def _kind(unit: str, pre: str, dictionary_kind: str | None = None) -> str:
    """Return growth/ratio/amount/count: the unit decides, the dictionary tells growth from ratio."""
    if unit.endswith("元"):
        return "amount"
    if unit in ("%", "个百分点"):
        if dictionary_kind in ("growth", "ratio"):
            return dictionary_kind
        verb_zone = re.sub(r"(分别|均)$", "", pre)
        return "growth" if verb_zone.endswith(_GROWTH_VERBS) or "压减" in pre else "ratio"
    return "count"


PAIR_COLUMNS = ["district", "metric", "unit", "scope", "year_from", "value_from", "qualifier_from",
                "task_id_from", "year_to", "value_to", "qualifier_to", "task_id_to",
                "change", "direction", "kind", "handover"]


def pair_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """Return the year-on-year pairs: within one district and one scope, between consecutive notices.

    A metric (with its unit) set in several years of a district and scope is paired
    year by year: 2020→2022, then 2022→2023 when 2023 sets it too. Where a year sets
    a metric more than once, the first occurrence (in task order) is used. Nothing
    is ever paired across districts or scopes.
    """
    firsts = targets.drop_duplicates(["district", "scope", "year", "metric", "unit"])
    firsts = firsts.sort_values(["district", "scope", "metric", "unit", "year"], kind="stable")
    following = firsts.groupby(["district", "scope", "metric", "unit"], sort=False).shift(-1)
    keep = following["year"].notna()
    first = firsts[keep]
    second = following[keep].assign(**{c: first[c] for c in ("district", "scope", "metric", "unit")})
    # listed by district, scope and pair of years, then in the first year's task order
    order = first.assign(_row=first.index).sort_values(["district", "scope", "year", "_row"], kind="stable").index
    return _pairs(first.loc[order], second.loc[order])


def pair_between(targets: pd.DataFrame, district: str, scope: str, year_from: int, year_to: int) -> pd.DataFrame:
    """Return the pairs of one district and scope between two chosen years (e.g. 2020 and 2023)."""
    rows = targets[(targets["district"] == district) & (targets["scope"] == scope)]
    first = rows[rows["year"] == year_from].drop_duplicates(["metric", "unit"])
    second = rows[rows["year"] == year_to].drop_duplicates(["metric", "unit"])
    merged = first.merge(second, on=["district", "scope", "metric", "unit"], suffixes=("_from", "_to"))
    return _pairs(_split(merged, "_from"), _split(merged, "_to"))


def _split(merged: pd.DataFrame, suffix: str) -> pd.DataFrame:
    """Return one side of a merged pair frame with its own column names."""
    shared = ["district", "scope", "metric", "unit"]
    side = {c[:-len(suffix)]: merged[c] for c in merged.columns if c.endswith(suffix)}
    return pd.DataFrame({**{c: merged[c] for c in shared}, **side}, index=merged.index)


def _pairs(first: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """Return pair rows from two aligned frames of targets (first year, second year)."""
    if first.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    change = (second["value"].to_numpy() - first["value"].to_numpy()).round(6)
    pairs = pd.DataFrame({
        "district": first["district"].to_numpy(), "metric": first["metric"].to_numpy(),
        "unit": first["unit"].to_numpy(), "scope": first["scope"].to_numpy(),
        "year_from": first["year"].astype(int).to_numpy(), "value_from": first["value"].to_numpy(),
        "qualifier_from": first["qualifier"].to_numpy(), "task_id_from": first["task_id"].to_numpy(),
        "year_to": second["year"].astype(int).to_numpy(), "value_to": second["value"].to_numpy(),
        "qualifier_to": second["qualifier"].to_numpy(), "task_id_to": second["task_id"].to_numpy(),
        "change": change,
        "direction": ["raised" if c > 0 else "lowered" if c < 0 else "unchanged" for c in change],
        "kind": second["kind"].to_numpy(),
        "handover": handover_texts(first, second),
    })
    return pairs.reset_index(drop=True)


def handover_text(year_from: int, leaders_from: str, leaders_to: str, units_from: str, units_to: str) -> str:
    """Return 交接：2020 年由虞立清牵头 when the earlier task was led by another leader (or, same leaders, unit); else "".

    Leaders and units are lists joined with 、 (as in the tasks frame); a side without any says nothing.
    """
    before, after = set(filter(None, leaders_from.split("、"))), set(filter(None, leaders_to.split("、")))
    if before and after and not before & after:
        return f"交接：{year_from} 年由{leaders_from}牵头"
    before, after = set(filter(None, units_from.split("、"))), set(filter(None, units_to.split("、")))
    if before and after and not before & after:
        return f"交接：{year_from} 年由{units_from}牵头"
    return ""


def handover_texts(first: pd.DataFrame, second: pd.DataFrame) -> list[str]:
    """Return handover_text for aligned rows of targets carrying their task's leaders and lead_units ("" without them)."""
    if "leaders" not in first or "leaders" not in second:
        return [""] * len(first)
    return [handover_text(int(y), a or "", b or "", c or "", d or "") for y, a, b, c, d in
            zip(first["year"], first["leaders"].fillna(""), second["leaders"].fillna(""),
                first["lead_units"].fillna(""), second["lead_units"].fillna(""))]
