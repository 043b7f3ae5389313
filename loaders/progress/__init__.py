"""落实进度: what lead units report per task and period, and each task's status against 序时进度.

    db.py          engine from a URL (SQLite under data/ by default, PostgreSQL when configured), migrations
    models.py      the tables (reports, milestones and comments are append-only)
    periods.py     季度/月度 periods of a task's span and their reporting deadlines
    reports.py     checking and saving reports, milestones, comments, the per-notice cadence
    status.py      status as of a date (pure: frames + reports → statuses)
    ledger.py      bulk reports from an Excel ledger (one pass, all-or-nothing)
    accounts.py    reporter accounts, password hashes, login throttling
    export.py      progress.csv and task_status.csv of the export contract
"""
