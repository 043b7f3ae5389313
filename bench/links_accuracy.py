"""How well task links are found, per similarity library, and how long they take (not a test: it asserts nothing).

    .venv/bin/python bench/links_accuracy.py [--gold tests/fixtures/links/luchen_2020_2022.csv] [--scale 100]

The gold file lists hand-read links (task_id, previous_task_id) of the bundled 鹿城 notices,
2020 → 2022; a task listed with an empty previous_task_id has no predecessor. Only the tasks
the gold file lists are scored: every accepted link of such a task that the gold file does not
list is a false link. Prints precision and recall of the accepted links (confidence ≥ ACCEPT_AT)
for scikit-learn's character n-gram TF-IDF cosine and for rapidfuzz's ratio, the same features
otherwise; with --tune, each library's best over a grid of weights and thresholds too (tuned on
the gold set itself, so an upper bound; the halves of the gold set are scored apart to show how
much that flatters); then, per library, the time to compute every link of ×scale data
(tools/scale_data.py: that many districts), the median of three runs.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from loaders.analysis.links import (ACCEPT_AT, WEIGHTS, Weights, _task_features, confidence_of, pair_features,
                                    suggested_links)
from loaders.frames import load_frames
from tools.scale_data import write_scaled

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "links" / "luchen_2020_2022.csv"
METHODS = {"tfidf": "scikit-learn 字符 n-gram TF-IDF 余弦", "rapidfuzz": "rapidfuzz ratio（编辑距离）"}


def read_gold(path: Path) -> tuple[set[tuple[str, str]], set[str]]:
    """Return the gold links and the tasks the gold file speaks for."""
    gold = pd.read_csv(path, dtype=str, keep_default_na=False)
    links = {(t, p) for t, p in zip(gold["task_id"], gold["previous_task_id"]) if p}
    return links, set(gold["task_id"])


def accuracy(links: pd.DataFrame, gold: set[tuple[str, str]], scored: set[str],
             threshold: float = ACCEPT_AT) -> dict[str, float]:
    """Return precision, recall and counts of the accepted links of the scored tasks against the gold links."""
    accepted = links[(links["confidence"] >= threshold) & links["task_id"].isin(scored)]
    found = set(zip(accepted["task_id"], accepted["previous_task_id"]))
    right = len(found & gold)
    return {"precision": right / len(found) if found else 1.0, "recall": right / len(gold) if gold else 1.0,
            "found": len(found), "right": right, "gold": len(gold),
            "false": sorted(found - gold), "missed": sorted(gold - found)}


def all_pair_features(frames, method: str) -> pd.DataFrame:
    """Return the features of every candidate pair (as suggested_links makes them), before any weighting."""
    features, found = _task_features(frames), []
    for _, group in features.groupby(["district", "horizon"], sort=False):
        years = sorted(group["year"].unique())
        for previous_year, year in zip(years, years[1:]):
            found.append(pair_features(group[group["year"] == year].reset_index(drop=True),
                                       group[group["year"] == previous_year].reset_index(drop=True), method))
    return pd.concat(found, ignore_index=True)


def tuned(pairs: pd.DataFrame, gold, scored) -> tuple:
    """Return the best (precision, recall, halves, threshold, weights) over a grid: max of min(P − 0.9, R − 0.8)."""
    ordered = sorted(scored)
    halves = (set(ordered[0::2]), set(ordered[1::2]))
    best = None
    grid = itertools.product([0.5, 1.0], [0.6, 1.2], [0.2, 0.35, 0.5], [0.2, 0.3], [0.15, 0.3], [0.1, 0.15, 0.25],
                             [0.2, 0.25, 1.0], [0.5, 0.6, 0.7])
    for text, raw, metric, names, units, weak, gap, threshold in grid:
        weights = Weights(text, raw, metric, names, units, weak, WEIGHTS.steepness, gap)
        links = pairs.assign(confidence=confidence_of(pairs, weights))
        whole = accuracy(links, gold, scored, threshold)
        key = min(whole["precision"] - 0.9, whole["recall"] - 0.8)
        if best is None or key > best[0]:
            parts = [accuracy(links, {g for g in gold if g[0] in half}, half, threshold) for half in halves]
            best = (key, whole, parts, threshold, weights)
    return best[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--verbose", action="store_true", help="list the false and missed links")
    parser.add_argument("--tune", action="store_true", help="also each library's best over a grid of weights")
    args = parser.parse_args()
    frames = load_frames()
    gold, scored = read_gold(args.gold)
    print(f"人工标准答案：{args.gold.name}，{len(scored)} 项任务，{len(gold)} 条链接；接受阈值 {ACCEPT_AT}")
    for method, name in METHODS.items():
        result = accuracy(suggested_links(frames, method), gold, scored)
        print(f"{name:<34} 精确率 {result['precision']:.3f}  召回率 {result['recall']:.3f}  "
              f"（接受 {result['found']}，其中正确 {result['right']}；标准答案 {result['gold']}）")
        if args.verbose:
            print("    多连：", result["false"][:20])
            print("    漏连：", result["missed"][:20])
    if args.tune:
        print("各库在一组权重与阈值中的最好结果（在标准答案上调的，是上限；按任务分两半各自的结果在后）：")
        for method, name in METHODS.items():
            whole, parts, threshold, weights = tuned(all_pair_features(frames, method), gold, scored)
            halves = "；".join(f"精确率 {p['precision']:.2f} 召回率 {p['recall']:.2f}" for p in parts)
            print(f"{name:<34} 精确率 {whole['precision']:.3f}  召回率 {whole['recall']:.3f}  阈值 {threshold}"
                  f"（两半：{halves}）\n    {weights}")
    if args.scale:
        with tempfile.TemporaryDirectory() as scratch:
            scaled = load_frames(write_scaled(args.scale, Path(scratch) / "curated"))
        print(f"×{args.scale}（{scaled.documents['district'].nunique()} 个区县，{len(scaled.tasks)} 项任务）计算全部链接：")
        for method, name in METHODS.items():
            times = []
            for _ in range(3):
                started = time.perf_counter()
                links = suggested_links(scaled, method)
                times.append(time.perf_counter() - started)
            print(f"{name:<34} 中位数 {statistics.median(times):.2f} 秒（{len(links)} 条候选）")


if __name__ == "__main__":
    main()
