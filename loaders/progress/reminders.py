"""催报: for the units that have not reported a due period, a reminder to paste, a DOCX 催报通知, and sending.

A reminder names each overdue task by its label and first words and the periods due.
Sending goes through what the office configured (`[reminders]` in .streamlit/secrets.toml):
a 钉钉 or 企业微信 group robot (one message for the whole list, split where it is long) and/or
email to the addresses of each unit's reporter accounts (SMTP). Nothing is sent without a
configuration. Every message tried is logged (append-only): channel, recipient, unit, text,
whether it arrived, who sent it, when.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import smtplib
import time
import urllib.parse
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

import httpx
import pandas as pd
from docx import Document
from sqlalchemy import Engine, select

from loaders.clock import utc_now
from loaders.progress.db import transaction
from loaders.progress.models import Account, Reminder
from loaders.select import text_start

DINGTALK, WECOM, EMAIL = "dingtalk", "wecom", "email"
CHANNEL_LABELS = {DINGTALK: "钉钉群机器人", WECOM: "企业微信群机器人", EMAIL: "邮件"}
MESSAGE_LIMIT = 1800  # characters per robot message (钉钉 and 企业微信 refuse long texts)
TASK_WORDS = 24


@dataclass(frozen=True)
class UnitReminder:
    """One unit's reminder: its overdue tasks (label, first words, periods due) and the text to send."""

    district: str
    unit: str
    tasks: tuple[tuple[str, str, str], ...]
    text: str


@dataclass(frozen=True)
class ReminderSettings:
    """Where reminders go; every field empty means nothing can be sent (the texts can still be copied)."""

    dingtalk_webhook: str = ""
    dingtalk_secret: str = ""  # the robot's 加签 secret, when it has one
    wecom_webhook: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_sender: str = ""
    smtp_starttls: bool = False
    timeout: float = 10.0

    @classmethod
    def from_section(cls, section: dict | None) -> "ReminderSettings":
        """Return the settings of a `[reminders]` secrets section (missing keys stay empty)."""
        section = dict(section or {})
        known = {name: section[name] for name in cls.__dataclass_fields__ if name in section}
        if "smtp_port" in known:
            known["smtp_port"] = int(known["smtp_port"])
        if "smtp_starttls" in known:
            known["smtp_starttls"] = str(known["smtp_starttls"]).lower() in ("1", "true", "yes", "是")
        return cls(**known)

    def channels(self) -> list[str]:
        """Return the channels configured, in the order they are used."""
        return [name for name, on in ((DINGTALK, self.dingtalk_webhook), (WECOM, self.wecom_webhook),
                                      (EMAIL, self.smtp_host and self.smtp_sender)) if on]


def unit_reminders(board: pd.DataFrame, lead: pd.DataFrame, as_of: date, report_by: str = "") -> list[UnitReminder]:
    """Return a reminder per lead unit with a task whose due period is not reported (status 未报送), most tasks first.

    board: the status board as of as_of; lead: the lead rows of task_units (named units only).
    """
    overdue = board[board["status"] == "not_reported"]
    rows = lead[["task_id", "district", "unit"]].drop_duplicates().merge(
        overdue[["task_id", "label", "content", "overdue_periods"]], on="task_id")
    reminders = []
    for (district, unit), items in rows.groupby(["district", "unit"], sort=False):
        tasks = tuple((row.label, text_start(row.content, TASK_WORDS), row.overdue_periods)
                      for row in items.sort_values("label").itertuples(index=False))
        reminders.append(UnitReminder(district, unit, tasks, reminder_text(unit, tasks, as_of, report_by)))
    return sorted(reminders, key=lambda r: (-len(r.tasks), r.unit))


def reminder_text(unit: str, tasks, as_of: date, report_by: str = "") -> str:
    """Return the reminder for one unit, ready to paste into 浙政钉, 钉钉 or 企业微信."""
    lines = [f"【催报】{unit}：截至 {as_of:%Y年%m月%d日}，贵单位牵头的以下 {len(tasks)} 项重点工作尚未报送进度："]
    lines += [f"{number}. {label} {words}（应报：{periods}）" for number, (label, words, periods)
              in enumerate(tasks, start=1)]
    lines.append(f"请于 {report_by} 前" if report_by else "请尽快")
    lines[-1] += "在看板“填报”页报送（或报送纸质台账），如有困难请写明需协调事项。"
    return "\n".join(lines)


def reminders_docx(reminders: list[UnitReminder], subject: str, as_of: date, issuer: str = "") -> bytes:
    """Return a DOCX 催报通知 listing every unit's overdue tasks (文号 and date left blank for the office)."""
    document = Document()
    document.add_paragraph(issuer or "（发文机关）")
    document.add_paragraph("〔　　〕　　号")
    document.add_heading(f"关于催报{subject}政府工作报告重点工作落实进度的通知", level=1)
    document.add_paragraph(f"截至 {as_of:%Y年%m月%d日}，以下 {len(reminders)} 个单位牵头的重点工作尚未按期报送进度，"
                           "请抓紧报送：")
    for number, reminder in enumerate(reminders, start=1):
        document.add_paragraph(f"{number}. {reminder.unit}（{len(reminder.tasks)} 项）")
        for label, words, periods in reminder.tasks:
            document.add_paragraph(f"{label} {words}（应报：{periods}）", style="List Bullet")
    document.add_paragraph("　　　　年　　月　　日")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def unit_emails(engine: Engine) -> dict[tuple[str, str], list[str]]:
    """Return the email addresses of each unit's reporter accounts (district, unit) → addresses."""
    with engine.connect() as connection:
        rows = connection.execute(select(Account.district, Account.unit, Account.email)
                                  .where(Account.email.is_not(None), Account.is_admin.is_(False))).all()
    emails: dict[tuple[str, str], list[str]] = {}
    for district, unit, email in rows:
        if email:
            emails.setdefault((district, unit), []).append(email)
    return emails


@dataclass(frozen=True)
class Sent:
    """What happened to one message: channel, recipient, the unit(s) it was for, and whether it arrived."""

    channel: str
    recipient: str
    units: tuple[tuple[str, str], ...]
    ok: bool
    detail: str = ""


def send_round(engine: Engine, settings: ReminderSettings, reminders: list[UnitReminder], sent_by: str,
               client: httpx.Client | None = None) -> list[Sent]:
    """Send the reminders through every configured channel, log each message, and return what happened.

    Robots get one message for the whole list (split at MESSAGE_LIMIT); email goes to each unit's
    reporter addresses (a unit without one is logged as not sent). Nothing is sent without settings.
    """
    if not reminders or not settings.channels():
        return []
    results: list[Sent] = []
    own_client = client is None
    client = client or httpx.Client(timeout=settings.timeout)
    try:
        for channel, url in ((DINGTALK, _signed(settings.dingtalk_webhook, settings.dingtalk_secret)),
                             (WECOM, settings.wecom_webhook)):
            if url:
                for chunk, units in _chunks(reminders):
                    results.append(_post_robot(client, channel, url, chunk, units))
    finally:
        if own_client:
            client.close()
    if EMAIL in settings.channels():
        results += _send_emails(engine, settings, reminders)
    _log(engine, results, reminders, sent_by)
    return results


def _chunks(reminders: list[UnitReminder]):
    """Yield (text, units) pieces of at most MESSAGE_LIMIT characters, never splitting a unit's reminder."""
    text, units = "", []
    for reminder in reminders:
        piece = reminder.text[:MESSAGE_LIMIT]
        if text and len(text) + 2 + len(piece) > MESSAGE_LIMIT:
            yield text, tuple(units)
            text, units = "", []
        text = f"{text}\n\n{piece}" if text else piece
        units.append((reminder.district, reminder.unit))
    if text:
        yield text, tuple(units)


def _signed(url: str, secret: str) -> str:
    """Return a 钉钉 webhook with its 加签 (timestamp and HMAC-SHA256 sign) when the robot has a secret."""
    if not url or not secret:
        return url
    stamp = str(round(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


def _post_robot(client: httpx.Client, channel: str, url: str, text: str, units) -> Sent:
    recipient = CHANNEL_LABELS[channel]
    try:
        response = client.post(url, json={"msgtype": "text", "text": {"content": text}})
        answer = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    except (httpx.HTTPError, ValueError) as error:
        return Sent(channel, recipient, units, False, f"无法送达：{type(error).__name__}")
    if response.status_code != 200 or answer.get("errcode", 0) != 0:
        return Sent(channel, recipient, units, False,
                    f"对方拒收：HTTP {response.status_code} {answer.get('errmsg', '')}".strip())
    return Sent(channel, recipient, units, True)


def _send_emails(engine: Engine, settings: ReminderSettings, reminders: list[UnitReminder]) -> list[Sent]:
    addresses = unit_emails(engine)
    results = []
    try:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout)
    except OSError as error:
        return [Sent(EMAIL, "、".join(addresses.get((r.district, r.unit), [])) or "（无邮箱）",
                     ((r.district, r.unit),), False, f"无法连接邮件服务器：{type(error).__name__}") for r in reminders]
    with server:
        if settings.smtp_starttls:
            server.starttls()
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password)
        for reminder in reminders:
            to = addresses.get((reminder.district, reminder.unit), [])
            if not to:
                results.append(Sent(EMAIL, "（无邮箱）", ((reminder.district, reminder.unit),), False,
                                    "该单位的填报账号没有绑定邮箱"))
                continue
            message = EmailMessage()
            message["Subject"] = f"【催报】{reminder.unit}：{len(reminder.tasks)} 项重点工作尚未报送进度"
            message["From"] = settings.smtp_sender
            message["To"] = ", ".join(to)
            message.set_content(reminder.text)
            try:
                refused = server.send_message(message)
                results.append(Sent(EMAIL, "、".join(to), ((reminder.district, reminder.unit),), not refused,
                                    f"被拒收：{'、'.join(refused)}" if refused else ""))
            except smtplib.SMTPException as error:
                results.append(Sent(EMAIL, "、".join(to), ((reminder.district, reminder.unit),), False,
                                    f"发送失败：{type(error).__name__}"))
    return results


def _log(engine: Engine, results: list[Sent], reminders: list[UnitReminder], sent_by: str) -> None:
    text_of = {(r.district, r.unit): r.text for r in reminders}
    at = utc_now()
    with transaction(engine) as session:
        session.add_all(Reminder(channel=sent.channel, recipient=sent.recipient[:256], district=district, unit=unit,
                                 content=text_of[(district, unit)], outcome="sent" if sent.ok else "failed",
                                 detail=sent.detail, sent_by=sent_by, sent_at=at)
                        for sent in results for district, unit in sent.units)


def reminders_frame(engine: Engine) -> pd.DataFrame:
    """Return the log of reminders (newest first)."""
    columns = ["id", "channel", "recipient", "district", "unit", "outcome", "detail", "sent_by", "sent_at"]
    with engine.connect() as connection:
        frame = pd.read_sql(select(*(getattr(Reminder, c) for c in columns)).order_by(Reminder.id.desc()), connection)
    return frame.reindex(columns=columns)
