"""A category for a new unit, inferred from its name (the person can change it in the preview)."""

from __future__ import annotations

import re

# first match wins; the order puts the specific names before the general ones
RULES: tuple[tuple[str, str], ...] = (
    (r"^(相关|各相关|各)|等单位$|^有关|(有关|相关)(部门|单位|方面)$", "统称"),
    (r"街道(办事处)?$", "街道"),
    (r"镇(人民政府)?$", "镇"),
    (r"^市.+分局$|^.+市.+分局$", "市级派驻机构"),
    (r"^(区|县)委.+(部|办|委)$|^(区|县)委(办|政法委)", "党委部门"),
    (r"(工商联|总工会|团(区|县)委|妇联|残联|科协|侨联|红十字会)$", "群团组织"),
    (r"(公司|集团)$", "国有企业"),
    (r"中心$", "事业单位·中心"),
    (r"^(区|县).+(局|办|委)$|^(区|县)(府办|政府办)", "区级部门"),
    (r"^省.+(厅|局|办|委|院)$", "省级部门"),
    (r"^市.+(局|办|委|院)$", "市级部门"),
    (r"(开发区|园区|管委会|管理区|新区|高新区|示范区|试验区)$", "开发区/园区"),
    (r"(乡|乡镇|街镇)(人民政府)?$", "乡镇街道"),
)
FALLBACK = "待分类"  # a new unit whose name fits no rule: added under this, to be sorted in the preview


def infer_category(unit: str) -> str:
    """Return the inferred category of a unit name, or "" when no rule fits (then FALLBACK is proposed)."""
    name = re.sub(r"[（(].*?[）)]", "", unit).replace("*", "").strip()
    for pattern, category in RULES:
        if re.search(pattern, name):
            return category
    return ""
