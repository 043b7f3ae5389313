"""Access: the 数据维护 page exists only when an admin is configured, and refuses anyone not logged in.

Viewers never see write actions: no upload, no restore. (The upload itself is
driven in a real browser in tests/e2e/test_admin_browser.py: AppTest has no
file uploader.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from loaders import store
from loaders.curated import read_curated
from loaders.progress.db import URL_VARIABLE

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "正确的密码-correct horse"


@pytest.fixture(autouse=True)
def data_copy(curated_copy, monkeypatch) -> Path:
    """Point the dashboard at a writable copy of the curated tables and a database of its own (the login counters)."""
    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(curated_copy))
    monkeypatch.setenv(URL_VARIABLE, f"sqlite:///{curated_copy.parent / 'progress.sqlite3'}")
    return curated_copy


def start(secrets: dict | None = None) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in (secrets or {}).items():
        app.secrets[name] = value
    app.run()
    return app


def log_in(app: AppTest, password: str) -> AppTest:
    app.text_input(key="admin_password_input").input(password)
    next(b for b in app.button if b.label == "登录").click()
    return app.run()


def texts(app: AppTest) -> str:
    return "\n".join(e.value for kind in ("title", "info", "error", "warning", "success", "markdown", "text")
                     for e in getattr(app, kind))


def test_without_configuration_the_page_does_not_exist():
    app = start()
    with pytest.raises(ValueError, match="Known pages") as caught:
        app.switch_page("pages/admin.py")
    assert "admin.py" not in str(caught.value).split("Known pages")[1]


def test_run_directly_without_configuration_it_refuses():
    app = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60).run()
    assert "未配置管理员" in app.error[0].value
    assert not app.button and not app.text_input


def test_a_wrong_password_is_refused_and_nothing_is_offered():
    app = start({"admin": {"password": PASSWORD}})
    app.switch_page("pages/admin.py").run()
    assert "需要管理员登录" in texts(app)
    log_in(app, "wrong")
    assert "密码不正确" in texts(app)
    assert not [s for s in app.selectbox if s.label == "以哪份通知为模板"]
    assert "请先选择导入文件" not in texts(app)


def test_the_right_password_opens_the_import_and_logging_out_closes_it():
    app = start({"admin": {"password": PASSWORD}})
    app.switch_page("pages/admin.py").run()
    log_in(app, PASSWORD)
    assert not app.exception
    assert "请先选择导入文件" in texts(app)
    assert [s for s in app.selectbox if s.label == "以哪份通知为模板"]
    next(b for b in app.button if b.label == "退出登录").click()
    app.run()
    assert "需要管理员登录" in texts(app)


def test_repeated_failures_lock_the_login_for_a_while():
    app = start({"admin": {"password": PASSWORD}})
    app.switch_page("pages/admin.py").run()
    for _ in range(5):
        log_in(app, "guess")
    log_in(app, PASSWORD)  # even the right password is refused during the lockout
    assert "错误次数过多" in texts(app)
    assert "请先选择导入文件" not in texts(app)


def test_viewers_see_the_history_but_cannot_restore(data_copy):
    raw, _ = read_curated(data_copy)
    store.save_tables(data_copy, {"tasks": raw["tasks"].iloc[:-2]}, "测试：删去两行")
    app = start({"admin": {"password": PASSWORD}})
    app.switch_page("pages/about.py").run()
    history = next(df.value for df in app.dataframe if "版本" in df.value.columns)
    assert history["任务（项）"].tolist() == [257] and history["之后的操作"].tolist() == ["测试：删去两行"]
    assert not [b for b in app.button if b.label == "恢复"]


def test_an_admin_restores_a_version_from_the_data_page(data_copy):
    raw, _ = read_curated(data_copy)
    store.save_tables(data_copy, {"tasks": raw["tasks"].iloc[:-2]}, "测试：删去两行")
    app = start({"admin": {"password": PASSWORD}})
    app.switch_page("pages/admin.py").run()
    log_in(app, PASSWORD)
    app.switch_page("pages/about.py").run()
    app.checkbox[0].check()
    next(b for b in app.button if b.label == "恢复").click()
    app.run()
    assert not app.exception
    assert "已恢复到版本" in texts(app)
    assert len(read_curated(data_copy)[0]["tasks"]) == 257
    versions = store.versions(data_copy)
    assert [v.tasks for v in versions] == [255, 257]
    # the pages show the restored data at once (the caches are keyed on the files)
    app.switch_page("pages/overview.py").run()
    assert [m.value for m in app.metric if m.label == "任务（项）"] == ["161"]  # the latest year, two rows back


def test_restore_needs_the_confirmation_box(data_copy):
    raw, _ = read_curated(data_copy)
    store.save_tables(data_copy, {"tasks": raw["tasks"].iloc[:-2]}, "测试：删去两行")
    app = start({"admin": {"password": PASSWORD}})
    app.switch_page("pages/admin.py").run()
    log_in(app, PASSWORD)
    app.switch_page("pages/about.py").run()
    next(b for b in app.button if b.label == "恢复").click()
    app.run()
    assert "请先勾选确认" in texts(app)
    assert len(read_curated(data_copy)[0]["tasks"]) == 255


def test_the_lockout_holds_for_a_new_session_and_says_how_long(data_copy):
    """A reload (a new session) keeps the count: it is in the database, shared by every session and replica."""
    app = start({"admin": {"password": PASSWORD}})
    app.switch_page("pages/admin.py").run()
    for _ in range(5):
        log_in(app, "guess")
    fresh = start({"admin": {"password": PASSWORD}})  # another session, as after a reload
    fresh.switch_page("pages/admin.py").run()
    wait = re.search(r"错误次数过多，请 (\d+) 秒后再试", texts(fresh))
    assert wait and 890 <= int(wait.group(1)) <= 900  # the 15-minute window of the first guess
    log_in(fresh, PASSWORD)
    assert "请先选择导入文件" not in texts(fresh)
    assert counters(data_copy) == {"account:管理员": 6, "address:127.0.0.1": 6}  # the right one was counted too


def test_a_right_password_clears_the_count(data_copy):
    app = start({"admin": {"password": PASSWORD}})
    app.switch_page("pages/admin.py").run()
    for _ in range(4):
        log_in(app, "guess")
    log_in(app, PASSWORD)
    assert "请先选择导入文件" in texts(app)
    # the account starts again; the address keeps its four failures (a success buys it no more guesses)
    assert counters(data_copy) == {"account:管理员": 0, "address:127.0.0.1": 4}


def counters(data_copy) -> dict[str, int]:
    from sqlalchemy import text

    from loaders.progress.db import open_database

    with open_database(f"sqlite:///{data_copy.parent / 'progress.sqlite3'}").connect() as connection:
        return dict(connection.execute(text("SELECT key, attempts FROM login_counters")).all())


def test_a_torn_history_record_is_reported_on_the_data_page_not_a_traceback(data_copy, monkeypatch):
    """An installation of the store of files with a torn record starts with the database: the page moves the
    readable versions in, says that it did, and names the torn one (its files stay in data/history/)."""
    monkeypatch.setenv(store.STORE_VARIABLE, "files")
    raw, _ = read_curated(data_copy)
    torn = store.save_tables(data_copy, {"tasks": raw["tasks"].iloc[:-1]}, "测试：删去一行")
    kept = store.save_tables(data_copy, {"tasks": raw["tasks"].iloc[:-2]}, "测试：删去两行")
    (store.history_dir(data_copy) / torn / "meta.json").write_bytes(b"")
    monkeypatch.delenv(store.STORE_VARIABLE)
    app = start({"admin": {"password": PASSWORD}})
    app.switch_page("pages/about.py").run()
    assert not app.exception
    from ui.text import literal

    assert any(literal(torn) in w.value and "无法读取" in w.value for w in app.warning)
    history = next(df.value for df in app.dataframe if "版本" in df.value.columns)
    assert history["版本"].tolist() == [kept]
    assert any("data/history/ 中的 1 个历史版本已存入数据库" in c.value for c in app.caption)


def test_a_header_the_reader_does_not_know_is_explained_on_the_page(data_copy):
    """Every problem the page shows can be fixed there: a table header nobody's word list knows gets a
    “表头各列是什么” table; saying what each column is reads the notice again, to its preview."""
    notice = ("某县2023年政府工作报告事项清单\n编号\t事项\t承担\t联系人\n"
              "1\t新建口袋公园5个。\t县住建局\t周强\n2\t新增停车位300个。\t县交通局\t周强\n").encode("utf-8")
    app = log_in(start({"admin": {"password": PASSWORD}}).switch_page("pages/admin.py").run(), PASSWORD)
    app.file_uploader[0].set_value(("清单.txt", notice, "text/plain"))
    app.run()
    assert "表格的第一行（编号、事项、承担、联系人）不是可识别的表头" in "\n".join(c.value for c in app.code)
    assert any(s.value == "表头各列是什么" for s in app.subheader)
    app.text_input(key="district_清单.txt").input("某县")
    app.session_state["columns_清单.txt"] = {
        "edited_rows": {1: {"role": "任务内容"}, 2: {"role": "责任单位（* 为牵头）"}, 3: {"role": "牵头领导"}},
        "added_rows": [], "deleted_rows": []}
    app.run()
    assert not app.exception, [e.message for e in app.exception]
    assert any("导入预览（尚未保存）" in s.value for s in app.subheader), [s.value for s in app.subheader]
    assert not any("不是可识别的表头" in c.value for c in app.code)


def test_link_decisions_of_another_district_are_not_called_broken(tmp_path, monkeypatch):
    """With two districts loaded, the decisions of one are valid there and are not listed as 未生效 under the other;
    a decision whose tasks are gone from every district is."""
    import pandas as pd

    from loaders.analysis.links import record_decision
    from loaders.frames import load_frames
    from loaders.store import save_tables
    from tools.scale_data import write_scaled

    curated = write_scaled(2, tmp_path / "data" / "curated")
    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(curated))
    tasks = load_frames(curated).tasks
    other = tasks[tasks["district"] != "鹿城区"]
    later = other[other["year"] == 2022]["task_id"].iloc[0]
    earlier = other[other["year"] == 2020]["task_id"].iloc[0]
    decisions = record_decision(pd.DataFrame(), later, earlier, "accepted", "admin", None)
    decisions = record_decision(decisions, "2099-annual-01", "2098-annual-01", "accepted", "admin", None)
    save_tables(curated, {"task_links": decisions}, "链接决定", "admin")
    app = log_in(start({"admin": {"password": PASSWORD}}).switch_page("pages/admin.py").run(), PASSWORD)
    app.radio(key="admin_job").set_value("跨年度任务链接").run()
    app.selectbox(key="links_district").set_value("鹿城区").run()
    assert not app.exception, [e.message for e in app.exception]
    warnings = [w.value for w in app.warning if "未生效" in w.value]
    assert len(warnings) == 1 and "已删除的任务 ← 已删除的任务" in warnings[0]  # only the one of no district
