"""数据维护 in a real browser: log in, upload, see problems or the preview, save, and restore on 数据说明.

The server runs on a scratch copy of the curated tables with a secrets file that
sets an admin password; the bundled data/curated/ is never touched.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from loaders.curated import DEFAULT_CURATED_DIR, SPECS
from loaders.frames import load_frames
from loaders.store import versions
from tests.e2e.conftest import open_app, start_server, wait_ready

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
PASSWORD = "e2e-管理员-password"


@pytest.fixture
def admin_server(tmp_path):
    curated = tmp_path / "data" / "curated"
    shutil.copytree(DEFAULT_CURATED_DIR, curated)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'[admin]\npassword = "{PASSWORD}"\n', encoding="utf-8")
    server = start_server({"WORK_REPORT_CURATED_DIR": str(curated)}, ["--secrets.files", str(secrets)])
    server.curated = curated
    yield server
    server.stop()


def files_of(directory: Path) -> dict[str, bytes]:
    return {spec.file: (directory / spec.file).read_bytes() for spec in SPECS.values()}


def log_in(page, server) -> None:
    open_app(page, server, "admin")
    page.get_by_label("管理员密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_ready(page)
    page.get_by_text("请先选择导入文件").wait_for()


def navigate(page, title: str) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_text(title, exact=True).click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    wait_ready(page)


def upload(page, path: Path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    # the check ends in one of three states: problems, a preview, or nothing to change
    page.get_by_text(re.compile("导入文件有 \\d+ 处问题|导入预览（尚未保存）|导入文件与现有数据完全相同")).first.wait_for()
    wait_ready(page)


def test_viewers_have_no_admin_page_and_no_restore(page, server):
    """The shared server has no secrets: no 数据维护 in the navigation, no restore on 数据说明."""
    open_app(page, server, "about")
    assert page.locator('[data-testid="stSidebarNav"]').get_by_text("数据维护").count() == 0
    assert page.get_by_role("button", name="恢复").count() == 0
    page.goto(f"{server.url}/admin")
    wait_ready(page)
    assert page.locator('[data-testid="stFileUploaderDropzoneInput"]').count() == 0


def test_a_bad_file_lists_its_problems_and_changes_nothing(page, admin_server):
    before = files_of(admin_server.curated)
    log_in(page, admin_server)
    upload(page, FIXTURES / "bad" / "unknown_unit.xlsx")
    page.get_by_text("导入文件有 1 处问题，未做任何修改").wait_for()
    full_text = page.locator('[data-testid="stCode"]').inner_text()
    assert "unknown_unit.xlsx 工作表“tasks” 第6行 列“units”：单位“区发改委”不在鹿城区的单位词典中" in full_text
    assert page.get_by_text("新增单位").first.is_visible()  # the way to add the unit with a category
    assert page.get_by_role("button", name="确认保存").count() == 0
    assert files_of(admin_server.curated) == before


def test_import_preview_save_and_restore(page, admin_server):
    before = files_of(admin_server.curated)
    log_in(page, admin_server)
    upload(page, FIXTURES / "good_2024.xlsx")
    page.get_by_text("导入预览（尚未保存）").wait_for()
    assert files_of(admin_server.curated) == before  # nothing is saved before the click
    page.get_by_role("button", name="确认保存").click()
    wait_ready(page)
    page.get_by_text("已保存：导入 测试〔2024〕1号（新增）").wait_for()
    assert len(load_frames(admin_server.curated).tasks) == 257 + 28

    # every page sees the new notice at once (moving within the app keeps the admin session)
    navigate(page, "总览")
    assert page.get_by_text("测试〔2024〕1号").first.is_visible()

    navigate(page, "数据说明")
    page.get_by_text("我确认恢复").click()
    page.get_by_role("button", name="恢复").click()
    wait_ready(page)
    page.get_by_text("已恢复到版本").wait_for()
    assert files_of(admin_server.curated) == before
    assert [v.tasks for v in versions(admin_server.curated)] == [285, 257]


def test_replacing_an_imported_notice_needs_the_box_ticked(page, admin_server):
    log_in(page, admin_server)
    upload(page, FIXTURES / "bad" / "already_imported.xlsx")
    page.locator('[data-testid="stCode"]', has_text="已经导入过（现有 161 条任务）").wait_for()
    page.get_by_text("替换已导入的通知：温鹿政办〔2022〕4号").click()
    wait_ready(page)
    # the file holds the notice exactly as imported: the preview says there is nothing to save
    page.get_by_text("导入文件与现有数据完全相同").wait_for()
    assert page.get_by_role("button", name="确认保存").count() == 0
