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
from tools.server import open_app, start_server, wait_ready

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "e2e-管理员-password"


def data_copy(folder: Path) -> tuple[Path, Path]:
    """Copy the bundled curated tables into folder/data/curated and write a secrets file with an admin password."""
    curated = folder / "data" / "curated"
    shutil.copytree(DEFAULT_CURATED_DIR, curated)
    secrets = folder / "secrets.toml"
    secrets.write_text(f'[admin]\npassword = "{PASSWORD}"\n', encoding="utf-8")
    return curated, secrets


def serve(data_root: tuple[Path, Path]):
    """Start a server on (curated folder, secrets file), with a database of its own (the versions of the curated
    tables, progress, login counters)."""
    curated, secrets = data_root
    database = f"sqlite:///{curated.parent / 'progress.sqlite3'}"
    server = start_server({"WORK_REPORT_CURATED_DIR": str(curated), "WORK_REPORT_DATABASE_URL": database},
                          ["--secrets.files", str(secrets)])
    server.curated, server.database = curated, database
    return server


def serve_a_copy(folder: Path):
    return serve(data_copy(folder))


@pytest.fixture
def admin_server(tmp_path):
    """A server of its own, for a test that saves."""
    server = serve_a_copy(tmp_path)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def checking_server(tmp_path_factory):
    """A server shared by the tests that save nothing (each asserts that nothing changed)."""
    server = serve_a_copy(tmp_path_factory.mktemp("checking"))
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


def test_a_bad_file_lists_its_problems_and_changes_nothing(page, checking_server):
    before = files_of(checking_server.curated)
    log_in(page, checking_server)
    upload(page, FIXTURES / "bad" / "unknown_unit.xlsx")
    page.get_by_text("导入文件有 1 处问题，未做任何修改").wait_for()
    full_text = page.locator('[data-testid="stCode"]').inner_text()
    assert "unknown_unit.xlsx 工作表“tasks” 第6行 列“units”：单位“区发改委”不在鹿城区的单位词典中" in full_text
    assert page.get_by_text("新增单位").first.is_visible()  # the way to add the unit with a category
    assert page.get_by_role("button", name="确认保存").count() == 0
    assert files_of(checking_server.curated) == before


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
    assert [v.tasks for v in versions(admin_server.curated, url=admin_server.database)] == [285, 257]


def test_replacing_an_imported_notice_needs_the_box_ticked(page, checking_server):
    before = files_of(checking_server.curated)
    log_in(page, checking_server)
    upload(page, FIXTURES / "bad" / "already_imported.xlsx")
    page.locator('[data-testid="stCode"]', has_text="已经导入过（现有 161 条任务）").wait_for()
    page.get_by_text("替换已导入的通知：温鹿政办〔2022〕4号").click()
    wait_ready(page)
    # the file holds the notice exactly as imported: the preview says there is nothing to save
    page.get_by_text("导入文件与现有数据完全相同").wait_for()
    assert page.get_by_role("button", name="确认保存").count() == 0
    assert files_of(checking_server.curated) == before


def test_a_notice_as_published_is_read_checked_and_saved(page, admin_server, tmp_path):
    """A Word notice of another district: rows beside their source text, new units with inferred categories
    and new leaders to tick, then the same atomic save."""
    from tests.notices.make import unit_line_docx

    notice = tmp_path / "瓯海区2024.docx"
    notice.write_bytes(unit_line_docx())
    before = files_of(admin_server.curated)
    log_in(page, admin_server)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(notice))
    page.get_by_text("导入预览（尚未保存）").wait_for()
    wait_ready(page)
    assert page.get_by_text(re.compile("逐条核对（3 条任务，0 条需要先看）")).is_visible()  # a new district: listed below
    assert page.get_by_text("新单位（7）").is_visible() and page.get_by_text("新领导（2）").is_visible()
    assert page.get_by_text(re.compile("识别为：.*牵头领导在分组标题中")).first.is_visible()
    assert files_of(admin_server.curated) == before
    page.get_by_role("button", name="确认保存").click()
    wait_ready(page)
    page.get_by_text("已保存：导入 温瓯政办〔2024〕9号（新增）").wait_for()
    frames = load_frames(admin_server.curated)
    assert len(frames.tasks) == 257 + 3
    units = frames.units[frames.units["district"] == "瓯海区"]
    assert dict(zip(units["unit"], units["category"]))["区大数据中心"] == "事业单位·中心"


def test_a_notice_of_another_place_copied_from_the_web_imports_with_only_the_district_typed(page, admin_server):
    """The way an office imports a notice found on the web: the text as copied, no 文号, no 发文机关, units of
    another level; only the district is asked for, every new unit gets a category (待分类 when none fits)."""
    notice = ROOT / "tests" / "notices" / "layouts" / "zone_role_line_pair.txt"
    log_in(page, admin_server)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(notice))
    page.get_by_text("无法从发文机关判断行政区").first.wait_for()
    wait_ready(page)
    assert page.get_by_text("--", exact=False).count() == 0  # the page names no command-line flag
    page.get_by_label("区县").fill("XX经济开发区")
    page.get_by_label("区县").press("Enter")
    page.get_by_text("导入预览（尚未保存）").wait_for()
    wait_ready(page)
    assert page.get_by_text("新单位（4）").is_visible()
    page.get_by_role("button", name="确认保存").click()
    wait_ready(page)
    page.get_by_text(re.compile("已保存：导入 （未注明文号）")).wait_for()
    frames = load_frames(admin_server.curated)
    units = frames.units[frames.units["district"] == "XX经济开发区"]
    assert dict(zip(units["unit"], units["category"])) == {
        "招商服务中心": "事业单位·中心", "经济发展局": "待分类", "财政金融局": "待分类", "统计中心": "事业单位·中心"}
    document = frames.documents[frames.documents["district"] == "XX经济开发区"].iloc[0]
    assert document["doc_no"].startswith("（未注明文号）") and document["issuer"] == "XX经济开发区管委会"  # from the title
