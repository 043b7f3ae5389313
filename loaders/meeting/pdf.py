"""The meeting deck as a PDF: the PPTX converted by LibreOffice (headless), so both files show the same slides."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_SECONDS = 180


class PdfUnavailable(RuntimeError):
    """LibreOffice is missing or could not convert the deck; the message says what to do."""


def office_program() -> str | None:
    """Return the LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pptx_to_pdf(pptx: bytes) -> bytes:
    """Return the PDF of a PPTX file, converted by LibreOffice in a private profile (safe to run in parallel)."""
    program = office_program()
    if not program:
        raise PdfUnavailable("服务器未安装 LibreOffice，无法导出 PDF。请安装 libreoffice-impress"
                             "（bash scripts/test.sh 会安装），或导出 PPTX 后用 PowerPoint/WPS 另存为 PDF。")
    with tempfile.TemporaryDirectory(prefix="deck-") as folder:
        work = Path(folder)
        source = work / "deck.pptx"
        source.write_bytes(pptx)
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work), str(source)]
        try:
            done = subprocess.run(command, capture_output=True, timeout=CONVERT_SECONDS, check=False)
        except subprocess.TimeoutExpired as error:
            raise PdfUnavailable(f"LibreOffice 转换 PDF 超过 {CONVERT_SECONDS} 秒未完成，请稍后再试。") from error
        result = work / "deck.pdf"
        if done.returncode != 0 or not result.exists():
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()[-300:]
            raise PdfUnavailable(f"LibreOffice 未能把演示文稿转换为 PDF：{detail or '没有输出'}")
        return result.read_bytes()
