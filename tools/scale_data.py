"""Write scaled copies of the curated tables (×N synthetic districts) in the curated layout.

    python -m tools.scale_data 10 bench/out/x10
    python -m tools.scale_data 100 bench/out/x100

Each copy is a synthetic district (第k区), as a city or province deployment holds
many: its documents get their own 文号 (…（第k区）) and district, its tables and
tasks their own ids, and it has its own unit and leader dictionaries; texts, unit
names, leader names and years are those of the bundled notices, so every copy
passes the same validation. `one_district=True` keeps every copy in the bundled
district instead (many notices of one district, for tests of long lists).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from loaders.curated import DEFAULT_CURATED_DIR, SPECS, read_csv_text

ROOT = Path(__file__).resolve().parents[1]


def scaled_tables(factor: int, source: Path = DEFAULT_CURATED_DIR,
                  one_district: bool = False) -> dict[str, pd.DataFrame]:
    """Return the curated tables repeated `factor` times as distinct districts (or notices of one)."""
    tables = {name: read_csv_text(source / spec.file) for name, spec in SPECS.items()}
    documents, table_list, tasks = [], [], []
    units, leaders = [tables["units"]], [tables["leaders"]]
    for k in range(factor):
        suffix = "" if k == 0 else f"（第{k}区）"
        prefix = "" if k == 0 else f"d{k}-"
        district = tables["documents"]["district"] if k == 0 or one_district else f"第{k}区"
        documents.append(tables["documents"].assign(doc_no=tables["documents"]["doc_no"] + suffix,
                                                    title=tables["documents"]["title"] + suffix,
                                                    district=district))
        if k and not one_district:
            own = tables["units"][tables["units"]["district"] != ""]
            units.append(own.assign(district=district))
            leaders.append(tables["leaders"].assign(district=district))
        table_list.append(tables["tables"].assign(table_id=prefix + tables["tables"]["table_id"],
                                                  doc_no=tables["tables"]["doc_no"] + suffix))
        tasks.append(tables["tasks"].assign(task_id=prefix + tables["tasks"]["task_id"],
                                            table_id=prefix + tables["tasks"]["table_id"]))
    return {**tables, "documents": pd.concat(documents), "tables": pd.concat(table_list),
            "tasks": pd.concat(tasks), "units": pd.concat(units), "leaders": pd.concat(leaders)}


def write_scaled(factor: int, out_dir: Path, one_district: bool = False) -> Path:
    """Write the scaled tables into out_dir (UTF-8 with BOM, as the curated files are)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in scaled_tables(factor, one_district=one_district).items():
        frame.to_csv(out_dir / SPECS[name].file, index=False, encoding="utf-8-sig", lineterminator="\n")
    return out_dir


if __name__ == "__main__":
    factor, out = int(sys.argv[1]), Path(sys.argv[2])
    print(write_scaled(factor, out))
