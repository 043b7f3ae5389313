"""Aggregations behind the screens, one module per topic; pages call the functions themselves.

- overview: what 总览 counts per notice
- leaders: tasks per leader, a leader's portfolio, leaders across years
- units: unit load, categories, concentration, pairs, two years side by side
- targets: targets, one-year metrics, five-year beside annual, changes between years
- quality: what 数据说明 lists about the source text
- common: helpers they share (labels with text starts, hover texts, typed frames)

Every function takes (selected) Frames first and returns a small frame or value.
The dashboard computes each once per filter state and shares it between sessions
(ui.cache.analysed): a function never modifies its input, and nobody modifies its result.
"""
