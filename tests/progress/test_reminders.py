"""催报 sent for real: to a group robot (a local HTTP server answering as 钉钉 and 企业微信 do) and by email (a local
SMTP server), each message logged; nothing sent without configuration; texts name tasks in words."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import threading
import urllib.parse
from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from docx import Document

from loaders.progress.accounts import add_account
from loaders.progress.board import build_board
from loaders.progress.reminders import (DINGTALK, EMAIL, WECOM, ReminderSettings, reminders_docx, reminders_frame,
                                        send_round, unit_reminders)
from loaders.progress.reports import ReportDraft, report, reports_frame
from loaders.progress.reviews import reviews_frame, with_reviews
from loaders.select import Filters, select
from tests.progress.conftest import ON_SQLITE_ONLY
from tools.server import free_port

AS_OF = date(2022, 10, 20)
SECRET = "SEC-测试加签"


class Robot:
    """A local HTTP server that answers like a group robot and keeps what it was sent."""

    def __init__(self, answer: dict | None = None) -> None:
        self.received: list[tuple[str, dict]] = []
        answer = answer or {"errcode": 0, "errmsg": "ok"}
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                robot.received.append((self.path, json.loads(body)))
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    """A local SMTP server (aiosmtpd) that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages = []
        box = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                box.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=default_policy)))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()


@pytest.fixture
def robot():
    running = Robot()
    yield running
    running.close()


@pytest.fixture
def mailbox():
    running = Mailbox()
    yield running
    running.close()


@pytest.fixture
def overdue(engine, frames, book, lead_of):
    """2022 tasks as of 2022-10-20 with one task of 区发改局 reported (the others are 未报送)."""
    assert not report(engine, ReportDraft("2022-annual-01-01", "2022-Q3", 75, progress="推进",
                                          reported_on=date(2022, 10, 3)), book, lead_of("2022-annual-01-01"),
                      today=AS_OF)
    selected = select(frames, Filters(years=(2022,)))
    board = build_board(selected, with_reviews(reports_frame(engine), reviews_frame(engine)), None, {}, AS_OF)
    lead = selected.task_units[(selected.task_units["role"] == "lead") & ~selected.task_units["is_placeholder"]]
    return unit_reminders(board.board, lead, AS_OF, report_by="2022年10月25日")


def test_each_unit_gets_a_reminder_that_names_its_overdue_tasks_in_words(overdue, frames):
    assert overdue and all(r.tasks for r in overdue)
    assert [len(r.tasks) for r in overdue] == sorted((len(r.tasks) for r in overdue), reverse=True)
    first = overdue[0]
    assert first.text.startswith(f"【催报】{first.unit}：截至 2022年10月20日，贵单位牵头的以下 {len(first.tasks)} 项")
    assert "2022-annual-" not in first.text and "请于 2022年10月25日 前在看板“填报”页报送" in first.text
    labels = set(frames.tasks["label"])
    assert all(label in labels for r in overdue for label, _, _ in r.tasks)
    assert "2022-annual-01-01" not in {t for r in overdue for t, _, _ in r.tasks}  # the reported task is not chased
    document = Document(io.BytesIO(reminders_docx(overdue, "鹿城区2022年", AS_OF)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert all(f"{r.unit}（{len(r.tasks)} 项）" in text for r in overdue)


def test_nothing_is_sent_or_logged_without_configuration(engine, overdue):
    assert ReminderSettings.from_section({}).channels() == []
    assert send_round(engine, ReminderSettings(), overdue, "督查室") == []
    assert reminders_frame(engine).empty


def test_a_round_reaches_the_robots_and_the_units_mailboxes_and_is_logged(engine, overdue, robot, mailbox):
    fgj = next(r for r in overdue if r.unit == "区发改局")
    add_account(engine, "fgj", "correct horse battery", "办公室", fgj.district, fgj.unit, email="fgj@example.gov.cn")
    settings = ReminderSettings.from_section({
        "dingtalk_webhook": f"{robot.url}/robot/send?access_token=abc", "dingtalk_secret": SECRET,
        "wecom_webhook": f"{robot.url}/cgi-bin/webhook/send?key=k", "smtp_host": "127.0.0.1",
        "smtp_port": str(mailbox.port), "smtp_sender": "dcs@example.gov.cn"})
    assert settings.channels() == [DINGTALK, WECOM, EMAIL]
    results = send_round(engine, settings, overdue, "督查室王五")
    robots = [r for r in results if r.channel in (DINGTALK, WECOM)]
    assert robots and all(r.ok for r in robots)
    # every unit is in some robot message, in full, each message within the robots' limit
    sent_texts = [body["text"]["content"] for _, body in robot.received]
    assert all(any(r.text in text for text in sent_texts) for r in overdue)
    assert all(len(text) <= 1800 for text in sent_texts)
    # 钉钉's 加签: timestamp and sign as the robot checks them
    path, _ = next((p, b) for p, b in robot.received if p.startswith("/robot/send"))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{query['timestamp'][0]}\n{SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["sign"][0] == expected and query["access_token"] == ["abc"]
    # email: only 区发改局 has an address; the others are logged as not sent, with the reason
    [(to, message)] = mailbox.messages
    assert to == ["fgj@example.gov.cn"] and message["Subject"].startswith("【催报】区发改局")
    assert message.get_content().strip() == fgj.text
    emails = [r for r in results if r.channel == EMAIL]
    assert sum(r.ok for r in emails) == 1 and all("没有绑定邮箱" in r.detail for r in emails if not r.ok)
    log = reminders_frame(engine)
    assert set(log["sent_by"]) == {"督查室王五"}
    assert len(log[(log["channel"] == EMAIL)]) == len(overdue)
    assert len(log[(log["channel"] == DINGTALK)]) == len(overdue)  # one row per unit a message was for
    assert set(log.loc[log["outcome"] == "sent", "channel"]) == {DINGTALK, WECOM, EMAIL}


def test_a_robot_that_refuses_is_logged_as_failed_with_its_answer(engine, overdue):
    refusing = Robot({"errcode": 310000, "errmsg": "sign not match"})
    try:
        results = send_round(engine, ReminderSettings(dingtalk_webhook=f"{refusing.url}/robot/send"), overdue, "督查室")
    finally:
        refusing.close()
    assert results and not any(r.ok for r in results)
    assert "sign not match" in results[0].detail
    assert set(reminders_frame(engine)["outcome"]) == {"failed"}
    unreachable = send_round(engine, ReminderSettings(wecom_webhook=f"http://127.0.0.1:{free_port()}/x",
                                                      timeout=2), overdue[:1], "督查室")
    assert not unreachable[0].ok and "无法送达" in unreachable[0].detail


@ON_SQLITE_ONLY
def test_the_office_sends_a_round_from_the_progress_page(engine, database_url, curated_copy, monkeypatch, robot):
    from streamlit.testing.v1 import AppTest

    from loaders.progress.db import URL_VARIABLE
    from tests.progress.test_progress_ledger_page import PASSWORD, ROOT

    monkeypatch.setenv(URL_VARIABLE, database_url)
    monkeypatch.setenv("WORK_REPORT_CURATED_DIR", str(curated_copy))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.secrets["admin"] = {"password": PASSWORD}
    app.secrets["reminders"] = {"wecom_webhook": f"{robot.url}/cgi-bin/webhook/send?key=k"}
    app.run()
    app.switch_page("pages/admin.py").run()
    app.text_input(key="admin_password_input").input(PASSWORD)
    next(b for b in app.button if b.label == "登录").click().run()
    app.query_params.update({"progress_list": "催报名单", "year": "2022"})
    app.switch_page("pages/progress.py").run()
    assert not app.exception, [e.message for e in app.exception]
    [text] = [c.value for c in app.code]
    assert text.startswith("【催报】") and "2022-annual-" not in text
    send = next(b for b in app.button if b.label.startswith("向 "))
    assert "企业微信群机器人" in send.label
    send.click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert robot.received and any(s.value.startswith("已发送") for s in app.success)
    assert set(reminders_frame(engine)["outcome"]) == {"sent"}
