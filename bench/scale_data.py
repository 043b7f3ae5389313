"""Write scaled copies of the curated tables (×N synthetic districts) in the curated layout.

    python bench/scale_data.py 10 bench/out/x10
    python bench/scale_data.py 100 bench/out/x100

Each copy is a synthetic district: its documents get their own 文号 (…（第k区）),
its tables and tasks their own ids; texts, units, leaders and years are those of
the bundled notices, so every copy passes the same validation.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders.curated import DEFAULT_CURATED_DIR, SPECS, read_csv_text  # noqa: E402


def scaled_tables(factor: int, source: Path = DEFAULT_CURATED_DIR) -> dict[str, pd.DataFrame]:
    """Return the curated tables repeated `factor` times as distinct districts."""
    tables = {name: read_csv_text(source / spec.file) for name, spec in SPECS.items()}
    documents, table_list, tasks = [], [], []
    for k in range(factor):
        suffix = "" if k == 0 else f"（第{k}区）"
        prefix = "" if k == 0 else f"d{k}-"
        documents.append(tables["documents"].assign(doc_no=tables["documents"]["doc_no"] + suffix,
                                                    title=tables["documents"]["title"] + suffix))
        table_list.append(tables["tables"].assign(table_id=prefix + tables["tables"]["table_id"],
                                                  doc_no=tables["tables"]["doc_no"] + suffix))
        tasks.append(tables["tasks"].assign(task_id=prefix + tables["tasks"]["task_id"],
                                            table_id=prefix + tables["tasks"]["table_id"]))
    return {**tables, "documents": pd.concat(documents), "tables": pd.concat(table_list),
            "tasks": pd.concat(tasks)}


def write_scaled(factor: int, out_dir: Path) -> Path:
    """Write the scaled tables into out_dir (UTF-8 with BOM, as the curated files are)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, frame in scaled_tables(factor).items():
        frame.to_csv(out_dir / SPECS[name].file, index=False, encoding="utf-8-sig", lineterminator="\n")
    return out_dir


if __name__ == "__main__":
    factor, out = int(sys.argv[1]), Path(sys.argv[2])
    print(write_scaled(factor, out))
