"""Districts (区县 / 行政区): every notice belongs to one, and units and leaders are scoped by it.

A unit name such as 区发改局 exists in every district; it is one unit only within
its district. Dictionary rows (units.csv, leaders.csv) name their district; a
units row with an empty district applies to every district (collective names
such as 相关街镇).
"""

from __future__ import annotations

import re

_ISSUER_TAIL = re.compile(r"(人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办)$")
_PROVINCE = re.compile(r"^.+?(省|自治区)")
_CITY_THEN_DISTRICT = re.compile(r"^(?P<city>.+?(市|自治州|地区|盟))(?P<district>.+(区|县|市|旗))$")
_ADMINISTRATIVE = re.compile(r".+(区|县|市|旗)$")


def district_of_issuer(issuer: str) -> str | None:
    """Return the district named by a notice's issuer, or None when it names none.

    温州市鹿城区人民政府办公室 → 鹿城区; 济南市市中区人民政府办公室 → 市中区;
    瑞安市人民政府办公室 → 瑞安市; 浙江省永嘉县人民政府 → 永嘉县.
    """
    body = re.sub(r"\s+", "", issuer or "")
    if not _ISSUER_TAIL.search(body):
        return None
    body = _ISSUER_TAIL.sub("", body)
    body = _PROVINCE.sub("", body)
    split = _CITY_THEN_DISTRICT.match(body)
    if split:
        return split["district"]
    return body if _ADMINISTRATIVE.fullmatch(body) else None


def applies_to(row_district: str, district: str) -> bool:
    """Return whether a dictionary row of row_district applies in district (empty: everywhere)."""
    return row_district in ("", district)
