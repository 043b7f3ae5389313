"""Two dashboards behind nginx, as docs/部署.md sets them up, run for real.

Replica A and replica B are two `streamlit run app.py` processes, each with a data folder of its own (as
two machines have; no shared directory), the same store name, the same cookie secret and the same
PostgreSQL database (every version of the curated tables, progress, reviews, reminders, login counters);
each replica's folder follows the database at its next action. Debian's nginx (installed by scripts/test.sh) runs unprivileged on a free port with the
upstream block of docs/部署.md (ip_hash over both). The tests run in order: what one saves, the next builds on.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import text

from loaders import store
from loaders.frames import Frames, load_frames
from loaders.progress.db import forget, make_engine, open_database
from loaders.progress.reports import reports_frame
from loaders.storage.database import STORE_NAME_VARIABLE
from tests.e2e.test_admin_browser import FIXTURES, PASSWORD, data_copy, upload
from tests.databases import postgres_url
from tests.progress.test_progress_ledger import CHINESE, GOOD_ROWS, workbook
from tools.server import free_port, open_app, start_server, wait_ready

ROOT = Path(__file__).resolve().parents[2]
COOKIE_SECRET = "replicas-share-this-secret"
STORE_NAME = "鹿城区看板"
NGINX_CONF = """
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    upstream dashboard {{
        ip_hash;
        server 127.0.0.1:{a};
        server 127.0.0.1:{b};
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 6m;
        location / {{
            proxy_pass http://dashboard;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_read_timeout 86400;
        }}
    }}
}}
"""


class Cluster:
    def __init__(self, folder: Path):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            pytest.fail("nginx is missing: scripts/test.sh installs it (apt-get install nginx-light)")
        self.database = postgres_url()
        forget(self.database)
        engine = make_engine(self.database)
        with engine.begin() as connection:  # a fresh database, as a new installation has
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        self.folder = folder
        servers = []
        for replica in ("a", "b", "reader"):  # the reader: the tests' own copy, read as a third machine would
            (folder / replica).mkdir()
            curated, secrets = data_copy(folder / replica)
            env = {"WORK_REPORT_CURATED_DIR": str(curated), "WORK_REPORT_DATABASE_URL": self.database,
                   STORE_NAME_VARIABLE: STORE_NAME, "STREAMLIT_SERVER_COOKIE_SECRET": COOKIE_SECRET}
            if replica != "reader":
                servers.append(start_server(env, ["--secrets.files", str(secrets)]))
        self.a, self.b = servers
        self.reader = curated
        prefix = folder / "nginx"
        prefix.mkdir()
        self.port = free_port()
        (prefix / "nginx.conf").write_text(NGINX_CONF.format(prefix=prefix, a=self.a.port, b=self.b.port,
                                                             port=self.port), encoding="utf-8")
        self.nginx = subprocess.Popen([nginx, "-c", str(prefix / "nginx.conf"), "-p", str(prefix),
                                       "-g", "daemon off;"], stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"

    def tables(self) -> Frames:
        """Return the curated tables as they are now in the database (the reader's folder brought up to date)."""
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv(STORE_NAME_VARIABLE, STORE_NAME)
            store.sync(self.reader, self.database)
        return load_frames(self.reader)

    def stop(self) -> None:
        self.nginx.terminate()
        self.nginx.wait(timeout=10)
        for server in (self.a, self.b):
            server.stop()
        forget(self.database)


class Through:
    """nginx in front, as a Server-like object for open_app."""

    def __init__(self, url: str):
        self.url = url


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = Cluster(tmp_path_factory.mktemp("replicas"))
    yield cluster
    cluster.stop()


def admin(browser, server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    open_app(page, server, "admin")
    page.get_by_label("管理员密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_ready(page)
    page.get_by_text("请先选择导入文件").wait_for()
    return context, page


def test_the_dashboard_is_served_through_nginx(browser, cluster):
    page = browser.new_page()
    open_app(page, Through(cluster.url))  # waits for the app's WebSocket to connect through the proxy
    assert page.get_by_role("heading", name="总览").is_visible()
    page.close()


def test_an_import_saved_on_a_is_seen_on_b_at_its_next_action(browser, cluster):
    viewer = browser.new_page()
    open_app(viewer, cluster.b, "about")
    assert viewer.get_by_text("测试〔2024〕1号").count() == 0
    context, page = admin(browser, cluster.a)
    upload(page, FIXTURES / "good_2024.xlsx")
    page.get_by_role("button", name="确认保存").click()
    wait_ready(page)
    page.get_by_text("已保存：导入 测试〔2024〕1号（新增）").wait_for()
    context.close()
    viewer.reload()  # B's next action: it reads the tables A saved
    wait_ready(viewer)
    viewer.get_by_text("测试〔2024〕1号").first.wait_for()
    viewer.close()


def test_two_imports_at_once_on_a_and_b_both_land(browser, cluster):
    first = ROOT / "tests" / "notices" / "layouts" / "county_table.txt"
    second = ROOT / "tests" / "notices" / "layouts" / "zone_role_line_pair.txt"
    pages = []
    for server, notice, district in ((cluster.a, first, "陵水县"), (cluster.b, second, "XX经济开发区")):
        context, page = admin(browser, server)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(notice))
        page.get_by_text("无法从发文机关判断行政区").first.wait_for()
        page.get_by_label("区县").fill(district)
        page.get_by_label("区县").press("Enter")
        page.get_by_text("导入预览（尚未保存）").wait_for()
        wait_ready(page)
        pages.append((context, page))
    for _, page in pages:  # both saves are sent before either has answered
        page.get_by_role("button", name="确认保存").click(no_wait_after=True)
    for _, page in pages:
        wait_ready(page)
        outcome = page.get_by_text(re.compile("已保存：导入|期间有人保存了")).first
        outcome.wait_for()
        if "期间有人保存了" in outcome.inner_text():  # planned on what the other replica replaced: checked again
            page.get_by_role("button", name="确认保存").click()
            wait_ready(page)
            page.get_by_text(re.compile("已保存：导入")).first.wait_for()
    documents = cluster.tables().documents
    assert {"陵水县", "XX经济开发区", "鹿城区"} <= set(documents["district"])
    assert "测试〔2024〕1号" in set(documents["doc_no"])  # the earlier import was not lost either
    for context, _ in pages:
        context.close()


def status_column(page):
    return page.locator('th[role="columnheader"]', has_text=re.compile("^状态$"))


def test_progress_saved_on_b_shows_on_a(browser, cluster):
    viewer = browser.new_page()
    open_app(viewer, cluster.a, "tasks?district=鹿城区&year=2022")
    assert status_column(viewer).count() == 0  # no report yet: the task list has no 状态 column
    context, page = admin(browser, cluster.b)
    page.get_by_text("导入进度台账（各单位填报汇总）").click()
    wait_ready(page)
    ledger = cluster.folder / "二季度台账.xlsx"
    ledger.write_bytes(workbook(CHINESE, *GOOD_ROWS))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(ledger))
    page.get_by_role("button", name="确认保存").wait_for()
    page.get_by_role("button", name="确认保存").click()
    wait_ready(page)
    page.get_by_text(re.compile("已保存台账")).wait_for()
    context.close()
    assert len(reports_frame(open_database(cluster.database))) == len(GOOD_ROWS)
    viewer.reload()  # A's next action
    wait_ready(viewer)
    status_column(viewer).first.wait_for(state="attached")  # the column appears once reports exist
    viewer.close()


def test_login_limits_hold_across_replicas(browser, cluster):
    for attempt in range(5):  # five wrong passwords, alternating between the replicas
        server = cluster.a if attempt % 2 == 0 else cluster.b
        context = browser.new_context()
        page = context.new_page()
        open_app(page, server, "admin")
        page.get_by_label("管理员密码").fill("猜一猜")
        page.get_by_role("button", name="登录").click()
        wait_ready(page)
        context.close()
    for server in (cluster.a, cluster.b):  # both now refuse, even the right password
        context = browser.new_context()
        page = context.new_page()
        open_app(page, server, "admin")
        page.get_by_label("管理员密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        wait_ready(page)
        assert page.get_by_text(re.compile(r"请 \d+ 秒后再试")).first.is_visible()
        assert page.get_by_text("请先选择导入文件").count() == 0
        context.close()


def test_killing_a_replica_loses_no_saved_data(browser, cluster):
    before = cluster.tables()
    stored = len(reports_frame(open_database(cluster.database)))
    cluster.a.process.kill()
    cluster.a.process.wait(timeout=10)
    page = browser.new_page()
    open_app(page, Through(cluster.url))  # nginx passes the next request to B
    assert page.get_by_role("heading", name="总览").is_visible()
    page.close()
    after = cluster.tables()
    assert len(after.tasks) == len(before.tasks) and len(reports_frame(open_database(cluster.database))) == stored
