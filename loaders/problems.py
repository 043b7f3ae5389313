"""Problems found in curated files, reported all at once with where and how to fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in one cell (or one file) of a curated table."""

    file: str
    row: int | None  # spreadsheet row number: the header is row 1
    column: str | None
    message: str
    fix: str
    sheet: str | None = None  # the worksheet, for XLSX files
    value: str | None = None  # the offending name, when one can be added (an unknown unit)
    code: str = ""  # what kind of problem, for code to compare (unknown_unit, unknown_leader, no_header…)

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" 工作表“{self.sheet}”"
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f" 列“{self.column}”"
        return f"{where}：{self.message}。处理办法：{self.fix}"


class CuratedDataError(Exception):
    """Raised when curated tables cannot be loaded; holds every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


MAX_PROBLEMS_PER_FILE = 100


def cap_problems(problems: list[Problem], limit: int = MAX_PROBLEMS_PER_FILE) -> list[Problem]:
    """Return the first `limit` problems of each file, and for a file with more, one line that counts the rest."""
    kept, counts = [], {}
    for problem in problems:
        counts[problem.file] = counts.get(problem.file, 0) + 1
        if counts[problem.file] <= limit:
            kept.append(problem)
    for file, count in counts.items():
        if count > limit:
            kept.append(Problem(file, None, None, f"另有 {count - limit} 处问题未列出（共 {count} 处，只列出前 {limit} 处）",
                                "先改正上面列出的问题，再重新检查；问题这么多时，多半是选错了文件或整列错位"))
    return kept
