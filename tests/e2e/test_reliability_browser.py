"""Reliability in a real browser: two admins saving one after the other, the login lockout across new
sessions and a server restart, and the 下载规范表 buttons of 数据说明 with formula-like cells.

Each server runs on a scratch copy of the curated tables (its own data/ folder, so its own
progress database, where login attempts are counted); the bundled data/ is never touched.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from loaders.curated import read_curated, table_bytes
from loaders.frames import load_frames
from loaders.security.login_limits import LoginLimits
from tests.e2e.test_admin_browser import PASSWORD, data_copy, log_in, navigate, serve, upload
from tests.test_store_reliability import notice_variant
from tools.server import open_app, wait_ready

HOSTILE_CELLS = ['=HYPERLINK("http://example.com","点我")', "+86-577", "-1", "@SUM(A1)"]


@pytest.fixture
def data_root(tmp_path):
    return data_copy(tmp_path)


@pytest.fixture
def admin_server(data_root):
    server = serve(data_root)
    yield server
    server.stop()


def new_page(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, accept_downloads=True, locale="zh-CN")
    return context, context.new_page()


def test_two_admins_saving_one_after_the_other_keep_both_notices(browser, admin_server, tmp_path):
    files = []
    for number in (2, 3):
        files.append(tmp_path / f"notice_{number}.xlsx")
        files[-1].write_bytes(notice_variant(number))
    (first_context, first), (second_context, second) = new_page(browser), new_page(browser)
    try:
        for page, path in ((first, files[0]), (second, files[1])):
            log_in(page, admin_server)
            upload(page, path)
            page.get_by_text("导入预览（尚未保存）").wait_for()
        first.get_by_role("button", name="确认保存").click()
        wait_ready(first)
        first.get_by_text("已保存：导入 测试〔2024〕2号（新增）").wait_for()
        second.get_by_role("button", name="确认保存").click()
        wait_ready(second)
        refused = second.get_by_text(re.compile("检查之后规范表已被修改（期间有人保存了：导入 测试〔2024〕2号"))
        refused.wait_for()
        assert "本次未保存" in refused.inner_text()
        documents = set(read_curated(admin_server.curated)[0]["documents"]["doc_no"])
        assert "测试〔2024〕2号" in documents and "测试〔2024〕3号" not in documents
        # the preview was made again on the data as it is now: saving it keeps both
        second.get_by_role("button", name="确认保存").click()
        wait_ready(second)
        second.get_by_text("已保存：导入 测试〔2024〕3号（新增）").wait_for()
        documents = set(read_curated(admin_server.curated)[0]["documents"]["doc_no"])
        assert {"测试〔2024〕2号", "测试〔2024〕3号"} <= documents
        assert len(load_frames(admin_server.curated).tasks) == 257 + 2 * 28
    finally:
        first_context.close()
        second_context.close()


def locked_message(page) -> str:
    return page.get_by_text(re.compile(r"密码错误次数过多，请 \d+ 秒后再试")).inner_text()


def try_password(page, password: str) -> None:
    page.get_by_label("管理员密码").fill(password)
    page.get_by_role("button", name="登录").click()
    wait_ready(page)


def test_the_login_lockout_holds_in_new_sessions_and_after_a_restart(browser, data_root):
    server = serve(data_root)
    try:
        context, page = new_page(browser)
        open_app(page, server, "admin")
        for _ in range(5):
            try_password(page, "猜一猜")
        assert re.search(r"请 (\d+) 秒后再试", locked_message(page))
        context.close()
        for _ in range(2):  # a reloaded page is a new session; so is another browser
            context, page = new_page(browser)
            open_app(page, server, "admin")
            assert "秒后再试" in locked_message(page)
            try_password(page, PASSWORD)  # even the right password waits
            assert page.get_by_text("请先选择导入文件").count() == 0
            context.close()
    finally:
        server.stop()
    server = serve(data_root)  # a restart keeps the count (in the progress database of this copy)
    try:
        context, page = new_page(browser)
        open_app(page, server, "admin")
        wait = int(re.search(r"请 (\d+) 秒后再试", locked_message(page)).group(1))
        assert 0 < wait <= LoginLimits().window_minutes * 60
        context.close()
    finally:
        server.stop()


def test_curated_downloads_neutralize_formula_cells(browser, data_root):
    curated, _ = data_root
    raw, _ = read_curated(curated)
    raw["tasks"].loc[:3, "note"] = HOSTILE_CELLS
    raw["units"].loc[0, "aliases"] = "=1+1"
    for name in ("tasks", "units"):
        (curated / f"{name}.csv").write_bytes(table_bytes(raw[name]))
    server = serve(data_root)
    context, page = new_page(browser)
    try:
        open_app(page, server, "about")
        for file, label in (("tasks.csv", "任务"), ("units.csv", "责任单位词典")):  # buttons named in words
            with page.expect_download() as info:
                page.locator('[data-testid="stDownloadButton"]').get_by_role("button", name=label, exact=True).click()
            assert info.value.suggested_filename == file  # the file keeps the data folder's name
            served = info.value.path().read_bytes()
            assert served.startswith("\ufeff".encode("utf-8"))
            cells = [cell for row in csv.reader(io.StringIO(served.decode("utf-8-sig"))) for cell in row]
            assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))], file
            expected = ["'" + text for text in HOSTILE_CELLS] if file == "tasks.csv" else ["'=1+1"]
            assert all(text in cells for text in expected)
    finally:
        context.close()
        server.stop()
