"""Quantitative targets in task text, with real phrases from both notices."""

import pytest

from loaders.curated import read_curated
from loaders.targets import MetricDictionary, extract_targets


@pytest.fixture(scope="module")
def metrics() -> MetricDictionary:
    tables, problems = read_curated()
    assert problems == []
    return MetricDictionary.from_frame(tables["metrics"])


def found(text, metrics):
    return [(t.metric, t.value, t.unit, t.qualifier) for t in extract_targets(text, metrics)]


@pytest.mark.parametrize("text, expected", [
    ("地区生产总值增长 7.5%左右。", [("地区生产总值", 7.5, "%", "approx")]),
    ("一般公共预算收入增长 6%。", [("一般公共预算收入", 6, "%", "exact")]),
    ("地区生产总值增长 7%以上。", [("地区生产总值", 7, "%", "at_least")]),
    ("城镇登记失业率控制在1.5%以内。", [("城镇登记失业率", 1.5, "%", "at_most")]),
    ("不良贷款率继续稳控在1.2%以下", [("不良贷款率", 1.2, "%", "at_most")]),
    ("高新技术企业突破 400 家。", [("高新技术企业总数", 400, "家", "at_least")]),
    ("小微企业贷款余额突破900亿元。", [("小微企业贷款余额", 900, "亿元", "at_least")]),
])
def test_value_unit_and_qualifier(metrics, text, expected):
    assert found(text, metrics) == expected


def test_two_metrics_in_one_phrase(metrics):
    assert found("城乡居民人均可支配收入分别增长 8%和 9%左右。", metrics) == [
        ("城镇居民人均可支配收入", 8, "%", "approx"),
        ("农村居民人均可支配收入", 9, "%", "approx")]
    assert found("确保全年固定资产投资增长 8%，制造业投资、服务业投资分别增长 11%和 8%以上。", metrics) == [
        ("固定资产投资", 8, "%", "exact"), ("制造业投资", 11, "%", "at_least"), ("服务业投资", 8, "%", "at_least")]


def test_three_values_in_one_phrase(metrics):
    text = "污染地块安全利用率、一般工业固体废物综合利用率、工业危险废弃物利用处置率分别达到92%、95%和96%以上。"
    assert [(m, v) for m, v, _, _ in found(text, metrics)] == [
        ("污染地块安全利用率", 92), ("一般工业固体废物综合利用率", 95), ("工业危险废弃物利用处置率", 96)]


def test_one_value_shared_by_several_metrics(metrics):
    text = "制造业投资、高新技术产业投资、生态环境和公共设施投资、民间投资分别增长12%以上。"
    assert [m for m, *_ in found(text, metrics)] == [
        "制造业投资", "高新技术产业投资", "生态环境和公共设施投资", "民间投资"]
    assert {v for _, v, _, _ in found(text, metrics)} == {12}
    text = "力争规上工业亩均税收、亩均增加值均增长 7%以上。"
    assert [m for m, *_ in found(text, metrics)] == ["规上工业亩均税收", "规上工业亩均增加值"]


@pytest.mark.parametrize("text, value, unit", [
    ("新增高校毕业生 1 万人以上", 10000, "人"),
    ("高校毕业生1.6万人，", 16000, "人"),
    ("拆除违法建筑 30 万平方米", 300000, "平方米"),
    ("交付安置房1万套", 10000, "套"),
    ("回归税收 3.8 亿元以上", 3.8, "亿元"),
    ("实现出口额 45 亿美元", 45, "亿美元"),
    ("力争规上亩均税收达到 49 万元。", 49, "万元"),
    ("为全省出口增长贡献 1 个百分点以上", 1, "个百分点"),
    ("开展职业技能培训12000人次", 12000, "人次"),
])
def test_magnitudes(metrics, text, value, unit):
    (target,) = extract_targets(text, metrics)
    assert (target.value, target.unit) == (value, unit)


@pytest.mark.parametrize("text", [
    "启动实施市“251”工程",
    "紧盯“三类 500 强”",
    "确保PM2.5平均浓度稳定达标",
    "加快布局“新基建”,争创4A级景区街道",
    "推出2020版新清单",
    "加快打造 15 分钟品质文化生活圈",
    "实施“迎亚运、讲文明、提品质”300天大会战行动",
    "谋划建立首支10亿元级科创产业基金。",
    "力争 50 亿元、百亿元制造业项目实现零的突破。",
    "6月份前完成农村饮用水提标达标建设任务。",
    "深化西部多式联运、330国道鹿城段等项目前期",
])
def test_numbers_that_are_names_or_descriptions_are_not_targets(metrics, text):
    assert extract_targets(text, metrics) == []


def test_an_amount_describing_projects_leaves_the_count(metrics):
    assert found("争取落地 20 亿元以上产业项目 1 个。", metrics)[0][1:] == (1, "个", "exact")
    assert [t[1:3] for t in found("招引落地 2 亿元、5 亿元、10 亿元以上单体制造业项目各 1 个。", metrics)] == [(1, "个")]
    assert [t[1:3] for t in found("全域推进总投资 1500 亿元的 230 个“大建大美”项目", metrics)] == [(230, "个")]
    assert [t[1:3] for t in found("整治亩均税收 5 万元以下企业 65 家", metrics)] == [(65, "家")]


def test_counts_with_the_noun_after_the_number(metrics):
    targets = extract_targets("整治市政道路 10 条,联动抓好 20 条背街小巷环境提升,新增公共停车位 400 个。", metrics)
    assert [(t.value, t.unit) for t in targets] == [(10, "条"), (20, "条"), (400, "个")]
    assert "背街小巷" in targets[1].metric


def test_time_limits(metrics):
    text = "推进一般企业投资项目审批“最多80天”改革,小型项目压缩至45天以内,低风险小型项目最多20个工作日。"
    assert [t[1:] for t in found(text, metrics)] == [(45, "天", "at_most"), (20, "个工作日", "at_most")]


def test_five_year_averages_are_flagged(metrics):
    (target,) = extract_targets("城镇居民人均可支配收入年均增长 7.5%以上。", metrics)
    assert target.per_year_average and target.kind == "growth"
    (target,) = extract_targets("城镇居民人均可支配收入增长 7.5%以上。", metrics)
    assert not target.per_year_average


def test_kinds(metrics):
    kinds = [t.kind for t in extract_targets(
        "地区生产总值增长7%以上，新增高新技术企业50家，为企业综合减负16亿元，重点人群家庭医生签约覆盖率达70%以上。", metrics)]
    assert kinds == ["growth", "count", "amount", "ratio"]


def test_phrase_is_the_text_the_target_came_from(frames):
    for row in frames.targets.itertuples():
        content = frames.tasks.set_index("task_id").loc[row.task_id, "content"]
        assert row.phrase in content.replace(" ", ""), row


def test_rows_without_text_have_no_targets(frames):
    missing = frames.tasks.loc[frames.tasks["content_missing"], "task_id"]
    assert not frames.targets["task_id"].isin(missing).any()


def test_annual_metrics_set_in_both_years_are_paired(frames):
    changes = frames.target_changes.set_index("metric")
    expected = {
        "地区生产总值": (7.5, 7, "lowered"),
        "一般公共预算收入": (8, 6, "lowered"),
        "规上工业增加值": (7, 9, "raised"),
        "城镇居民人均可支配收入": (8, 7.5, "lowered"),
        "农村居民人均可支配收入": (9, 8.5, "lowered"),
        "社会消费品零售总额": (8.5, 8, "lowered"),
        "固定资产投资": (8, 10, "raised"),
        "制造业投资": (11, 12, "raised"),
        "民间投资": (12, 12, "unchanged"),
        "数字经济核心产业增加值": (12, 15, "raised"),
        "新增高新技术企业": (25, 50, "raised"),
        "全社会研发经费支出": (15, 20, "raised"),
        "新建5G基站": (107, 500, "raised"),
    }
    for metric, (before, after, direction) in expected.items():
        row = changes.loc[metric]
        assert (row["value_from"], row["value_to"], row["direction"]) == (before, after, direction), metric
    assert changes.loc["地区生产总值", "qualifier_from"] == "approx"
    assert changes.loc["地区生产总值", "qualifier_to"] == "at_least"
    assert (frames.target_changes["year_from"] == 2020).all() and (frames.target_changes["year_to"] == 2022).all()


def test_pairs_need_the_same_unit(frames):
    # 规上工业亩均税收: growth (%) in 2020, a level (万元) in 2022 – not comparable
    assert "规上工业亩均税收" not in set(frames.target_changes["metric"])
