"""Print bench/results.json as the Markdown table the README quotes."""

import json
import sys
from pathlib import Path

LABELS = {
    "tasks": "任务数",
    "loader_cold_s": "读取规范表（无缓存，秒）",
    "loader_cached_s": "读取规范表（缓存命中，秒）",
    "bare_page_s": "对照页：一个表格+一张图（秒）",
    "browser_first_chart_cold_s": "浏览器：打开到第一张图（冷启动服务，秒）",
    "browser_first_chart_warm_s": "浏览器：打开到第一张图（已启动，秒）",
    "filter_to_chart_1_session_p50_s": "改筛选到图更新 p50，1个会话（秒）",
    "filter_to_chart_1_session_p95_s": "改筛选到图更新 p95，1个会话（秒）",
    "filter_to_chart_8_sessions_p50_s": "改筛选到图更新 p50，8个会话（秒）",
    "filter_to_chart_8_sessions_p95_s": "改筛选到图更新 p95，8个会话（秒）",
    "browser_first_chart_8_sessions_p50_s": "8个会话同时打开总览：到第一张图 p50（秒）",
    "browser_first_chart_8_sessions_max_s": "8个会话同时打开总览：到第一张图 最慢（秒）",
    "server_peak_rss_mb": "服务进程峰值内存（MB，8个会话后）",
    "cpu_server_s_8_sessions": "8个会话改筛选期间：服务进程 CPU 秒",
    "cpu_browsers_s_8_sessions": "8个会话改筛选期间：浏览器进程 CPU 秒",
}


def main(path: Path) -> None:
    report = json.loads(path.read_text("utf-8"))
    scales = list(report["scales"])
    keys = list(report["scales"][scales[0]])
    print("| 指标 | " + " | ".join(f"×{s[1:]}" for s in scales) + " |")
    print("| --- | " + " | ".join("---:" for _ in scales) + " |")
    for key in keys:
        label = LABELS.get(key)
        if label is None and key.startswith("page_") and key.endswith("_s"):
            label = f"页面脚本 {key[5:-2]}（秒）"
        elif label is None and key.startswith("page_") and key.endswith("_ratio"):
            label = f"页面脚本 {key[5:-6]} ÷ 对照页"
        elif label is None and key.startswith("ws_bytes_"):
            label = f"WebSocket 字节/次打开 {key[9:]}"
        print(f"| {label or key} | " + " | ".join(str(report["scales"][s].get(key, "")) for s in scales) + " |")
    machine = report["machine"]
    print(f"\n测于 {machine['date']}：{machine['cpu']}，{machine['cores']} 核，{machine['memory_gb']} GB 内存，"
          f"Python {machine['python']}；中位数取自 {report['repeats']} 次（冷启动浏览器 ≤3 次）。")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("results.json"))
