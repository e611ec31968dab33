"""The chaos Grafana dashboard, as code: `python deployment/monitoring/dashboard.py` rewrites
dashboard.json beside it (a test fails when the two differ).

Built with grafana-foundation-sdk, Grafana's own typed builders, so a panel or field Grafana does
not know is a Python error here rather than a silently broken panel after import. Every query
selects `namespace="$namespace"`: one dashboard for the three environments.
"""

import json
import sys
from pathlib import Path

from grafana_foundation_sdk.builders import dashboard, heatmap, prometheus, stat, table, timeseries
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.dashboard import DataSourceRef, VariableRefresh
from grafana_foundation_sdk.models.prometheus import PromQueryFormat

OUTPUT = Path(__file__).with_name("dashboard.json")
DATASOURCE = DataSourceRef(type_val="prometheus", uid="${datasource}")
ENV = 'namespace="$namespace"'
RATE = "[$__rate_interval]"
HITS = f'{ENV}, result="hit"'


def query(expr: str, legend: str = "", ref_id: str = "A") -> prometheus.Dataquery:
    return (
        prometheus.Dataquery()
        .expr(expr)
        .legend_format(legend or "__auto")
        .ref_id(ref_id)
        .datasource(DATASOURCE)
    )


def graph(title: str, unit: str, *queries: prometheus.Dataquery, span: int = 12):
    panel = timeseries.Panel().title(title).unit(unit).datasource(DATASOURCE).span(span).height(8)
    for index, target in enumerate(queries):
        panel = panel.with_target(target.ref_id(chr(ord("A") + index)))
    return panel


def single(title: str, unit: str, target: prometheus.Dataquery, span: int = 6):
    panel = stat.Panel().title(title).unit(unit).datasource(DATASOURCE).span(span).height(4)
    return panel.with_target(target)


def rate(metric: str, selector: str = ENV) -> str:
    return f"rate({metric}{{{selector}}}{RATE})"


def summed(by: str, metric: str, function: str = "rate") -> str:
    """sum by (labels) of a counter's per-second rate (or increase) in the selected environment."""
    return f"sum by ({by}) ({function}({metric}{{{ENV}}}{RATE}))"


def latency_quantile(quantile: float, metric: str, selector: str = ENV, by: str = "") -> str:
    group = ", ".join(filter(None, ["le", by]))
    return f"histogram_quantile({quantile}, sum by ({group}) ({rate(metric + '_bucket', selector)}))"


def mean_score() -> str:
    by_version = "model_version"
    return f"{summed(by_version, 'chaos_appetence_sum')} / {summed(by_version, 'chaos_appetence_count')}"


def served(figure: str) -> str:
    """One figure of the newest day `chaos monitor` measured, per model version (the same on every pod)."""
    return f'max by (model_version) (chaos_served_performance{{{ENV}, figure="{figure}"}})'


def rows() -> dict[str, list]:
    """Panels row by row, in reading order: is it up and answering, how fast, is its data fresh, what
    does it predict, what does it cost."""
    scoring = f'{ENV}, endpoint="/appetence"'
    per_process = "{{pod}} {{role}} {{pid}}"
    return {
        "Traffic and errors": [
            graph(
                "Requests by endpoint",
                "reqps",
                query(summed("endpoint", "chaos_http_requests_total"), "{{endpoint}}"),
            ),
            graph(
                "Answers by status",
                "reqps",
                query(summed("status", "chaos_http_requests_total"), "{{status}}"),
            ),
            graph(
                "Refusals by reason", "reqps", query(summed("reason", "chaos_refusals_total"), "{{reason}}")
            ),
            graph(
                "Scrape targets up",
                "none",
                query(f'sum by (pod) (up{{job="chaos", {ENV}}})', "{{pod}}"),
                span=6,
            ),
            graph(
                "gunicorn worker exits",
                "none",
                query(summed("pod", "chaos_worker_exits_total", "increase"), "{{pod}}"),
                span=6,
            ),
        ],
        "Latency": [
            graph(
                "POST /appetence latency",
                "s",
                *(
                    query(latency_quantile(q, "chaos_http_request_duration_seconds", scoring), f"p{p}")
                    for q, p in ((0.5, 50), (0.9, 90), (0.99, 99))
                ),
            ),
            graph(
                "p99 latency by endpoint",
                "s",
                query(
                    latency_quantile(0.99, "chaos_http_request_duration_seconds", by="endpoint"),
                    "{{endpoint}}",
                ),
            ),
        ],
        "Database and indicators": [
            graph(
                "socio_eco reads",
                "ops",
                query(summed("operation", "chaos_socio_eco_lookup_duration_seconds_count"), "{{operation}}"),
                query(summed("operation", "chaos_socio_eco_lookup_errors_total"), "{{operation}} errors"),
                span=8,
            ),
            graph(
                "socio_eco read p99",
                "s",
                query(
                    latency_quantile(0.99, "chaos_socio_eco_lookup_duration_seconds", by="operation"),
                    "{{operation}}",
                ),
                span=8,
            ),
            graph(
                "Indicator cache hit ratio",
                "percentunit",
                query(
                    f"sum({rate('chaos_socio_eco_cache_lookups_total', HITS)})"
                    f" / sum({rate('chaos_socio_eco_cache_lookups_total')})",
                    "hits",
                ),
                span=8,
            ),
            single("Age of the newest indicators", "d", query(f"max(chaos_socio_eco_age_days{{{ENV}}})")),
        ],
        "Model, calibration and scores": [
            table.Panel()
            .title("Model versions loaded")
            .datasource(DATASOURCE)
            .span(6)
            .height(4)
            .with_target(
                query(f"max by (version, role) (chaos_model_info{{{ENV}}})", "{{version}} {{role}}")
                .instant()
                .format(PromQueryFormat.TABLE)
            ),
            single(
                "Calibration offset in use (log-odds)",
                "none",
                query(f"max by (model_version) (chaos_calibration_offset{{{ENV}}})", "{{model_version}}"),
            ),
            single(
                "Observed subscription rate (calibration)",
                "percentunit",
                query(
                    f"max by (model_version) (chaos_calibration_observed_rate{{{ENV}}})", "{{model_version}}"
                ),
            ),
            single(
                "Age of the newest outcome (calibration)",
                "d",
                query(f"max(chaos_outcomes_age_days{{{ENV}}})"),
            ),
            single(
                "Calibration stale (1 = flagged answers)",
                "none",
                query(f"max by (model_version) (chaos_calibration_stale{{{ENV}}})", "{{model_version}}"),
            ),
            graph(
                "Scores by model version",
                "ops",
                query(summed("model_version", "chaos_appetence_count"), "{{model_version}}"),
            ),
            graph("Mean score", "percentunit", query(mean_score(), "{{model_version}}")),
            heatmap.Panel()
            .title("Score distribution")
            .datasource(DATASOURCE)
            .span(24)
            .height(8)
            .with_target(
                query(summed("le", "chaos_appetence_bucket", "increase"), "{{le}}").format(
                    PromQueryFormat.HEATMAP
                )
            ),
        ],
        "Served performance (resolved outcomes, measured daily by chaos monitor)": [
            graph(
                "Brier skill against the observed rate",
                "none",
                query(served("brier_skill"), "{{model_version}}"),
                span=8,
            ),
            graph(
                "Calibration-in-the-large (observed - predicted)",
                "percentunit",
                query(served("calibration_in_the_large"), "{{model_version}}"),
                span=8,
            ),
            graph(
                "ROC AUC and within-day AUC",
                "none",
                query(served("roc_auc"), "{{model_version}} pooled"),
                query(served("within_day_auc"), "{{model_version}} within a day"),
                span=8,
            ),
        ],
        "Processes (per gunicorn process)": [
            graph("Resident memory", "bytes", query(f"process_resident_memory_bytes{{{ENV}}}", per_process)),
            graph("CPU", "percentunit", query(rate("process_cpu_seconds_total"), per_process)),
        ],
    }


def build() -> dict:
    board = (
        dashboard.Dashboard("chaos — appetence scoring")
        .uid("chaos")
        .description("Traffic, errors, latency, database, indicators, model and calibration of chaos.")
        .tags(["chaos"])
        .time("now-6h", "now")
        .refresh("1m")
        .with_variable(dashboard.DatasourceVariable("datasource").label("Prometheus").type("prometheus"))
        .with_variable(
            dashboard.QueryVariable("namespace")
            .label("Environment")
            .datasource(DATASOURCE)
            .query('label_values(up{job="chaos"}, namespace)')
            .refresh(VariableRefresh.ON_TIME_RANGE_CHANGED)
        )
    )
    for title, panels in rows().items():
        board = board.with_row(dashboard.Row(title))
        for panel in panels:
            board = board.with_panel(panel)
    document = json.loads(json.dumps(board.build(), cls=JSONEncoder))
    for number, panel in enumerate(document["panels"], start=1):
        panel["id"] = number  # Grafana links and embeds panels by id: unique and stable
    return document


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(render())
    sys.stdout.write(f"wrote {OUTPUT}\n")
