"""Storing the curated tables: every version in the database, the current one mirrored into the curated folder.

    database.py   the store (SQLite by default, PostgreSQL for several replicas): versions, history, restore,
                  the lost-update check, and the local folder kept equal to the current version (sync)
    ../store.py   the entry points every caller uses (save_tables, restore, versions …) and the atomic
                  folder replacement both stores share; with WORK_REPORT_CURATED_STORE=files, the
                  earlier store of files under data/history/ (kept for installations not yet moved)
"""
