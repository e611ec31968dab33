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


def latency_quantile(quantile: float, metric: str, selector: str, by: str = "") -> str:
    group = ", ".join(filter(None, ["le", by]))
    return f"histogram_quantile({quantile}, sum by ({group}) (rate({metric}_bucket{{{selector}}}{RATE})))"


def mean_score() -> str:
    return (
        f"sum by (model_version) (rate(chaos_appetence_sum{{{ENV}}}{RATE}))"
        f" / sum by (model_version) (rate(chaos_appetence_count{{{ENV}}}{RATE}))"
    )


def build() -> dict:
    scoring = f'{ENV}, endpoint="/appetence"'
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
        .with_row(dashboard.Row("Traffic and errors"))
        .with_panel(
            graph(
                "Requests by endpoint",
                "reqps",
                query(f"sum by (endpoint) (rate(chaos_http_requests_total{{{ENV}}}{RATE}))", "{{endpoint}}"),
            )
        )
        .with_panel(
            graph(
                "Answers by status",
                "reqps",
                query(f"sum by (status) (rate(chaos_http_requests_total{{{ENV}}}{RATE}))", "{{status}}"),
            )
        )
        .with_panel(
            graph(
                "Refusals by reason",
                "reqps",
                query(f"sum by (reason) (rate(chaos_refusals_total{{{ENV}}}{RATE}))", "{{reason}}"),
            )
        )
        .with_panel(
            graph(
                "Scrape targets up",
                "none",
                query(f'sum by (pod) (up{{job="chaos", {ENV}}})', "{{pod}}"),
                span=6,
            )
        )
        .with_panel(
            graph(
                "gunicorn worker exits",
                "none",
                query(f"sum by (pod) (increase(chaos_worker_exits_total{{{ENV}}}{RATE}))", "{{pod}}"),
                span=6,
            )
        )
        .with_row(dashboard.Row("Latency"))
        .with_panel(
            graph(
                "POST /appetence latency",
                "s",
                *(
                    query(latency_quantile(q, "chaos_http_request_duration_seconds", scoring), f"p{p}")
                    for q, p in ((0.5, 50), (0.9, 90), (0.99, 99))
                ),
            )
        )
        .with_panel(
            graph(
                "p99 latency by endpoint",
                "s",
                query(
                    latency_quantile(0.99, "chaos_http_request_duration_seconds", ENV, by="endpoint"),
                    "{{endpoint}}",
                ),
            )
        )
        .with_row(dashboard.Row("Database and indicators"))
        .with_panel(
            graph(
                "socio_eco reads",
                "ops",
                query(
                    f"sum by (operation) ({rate('chaos_socio_eco_lookup_duration_seconds_count')})",
                    "{{operation}}",
                ),
                query(
                    f"sum by (operation) (rate(chaos_socio_eco_lookup_errors_total{{{ENV}}}{RATE}))",
                    "{{operation}} errors",
                ),
                span=8,
            )
        )
        .with_panel(
            graph(
                "socio_eco read p99",
                "s",
                query(
                    latency_quantile(0.99, "chaos_socio_eco_lookup_duration_seconds", ENV, by="operation"),
                    "{{operation}}",
                ),
                span=8,
            )
        )
        .with_panel(
            graph(
                "Indicator cache hit ratio",
                "percentunit",
                query(
                    f'sum(rate(chaos_socio_eco_cache_lookups_total{{{ENV}, result="hit"}}{RATE}))'
                    f" / sum(rate(chaos_socio_eco_cache_lookups_total{{{ENV}}}{RATE}))",
                    "hits",
                ),
                span=8,
            )
        )
        .with_panel(
            single("Age of the newest indicators", "d", query(f"max(chaos_socio_eco_age_days{{{ENV}}})"))
        )
        .with_row(dashboard.Row("Model, calibration and scores"))
        .with_panel(
            table.Panel()
            .title("Model versions loaded")
            .datasource(DATASOURCE)
            .span(6)
            .height(4)
            .with_target(
                query(f"max by (version, role) (chaos_model_info{{{ENV}}})", "{{version}} {{role}}")
                .instant()
                .format(PromQueryFormat.TABLE)
            )
        )
        .with_panel(
            single(
                "Calibration offset in use (log-odds)",
                "none",
                query(f"max by (model_version) (chaos_calibration_offset{{{ENV}}})", "{{model_version}}"),
            )
        )
        .with_panel(
            single(
                "Observed subscription rate (calibration)",
                "percentunit",
                query(f"max(chaos_calibration_observed_rate{{{ENV}}})"),
            )
        )
        .with_panel(
            graph(
                "Scores by model version",
                "ops",
                query(f"sum by (model_version) ({rate('chaos_appetence_count')})", "{{model_version}}"),
            )
        )
        .with_panel(graph("Mean score", "percentunit", query(mean_score(), "{{model_version}}")))
        .with_panel(
            heatmap.Panel()
            .title("Score distribution")
            .datasource(DATASOURCE)
            .span(24)
            .height(8)
            .with_target(
                query(f"sum by (le) (increase(chaos_appetence_bucket{{{ENV}}}{RATE}))", "{{le}}").format(
                    PromQueryFormat.HEATMAP
                )
            )
        )
        .with_row(dashboard.Row("Processes (per gunicorn process)"))
        .with_panel(
            graph(
                "Resident memory",
                "bytes",
                query(f"process_resident_memory_bytes{{{ENV}}}", "{{pod}} {{role}} {{pid}}"),
            )
        )
        .with_panel(
            graph(
                "CPU",
                "percentunit",
                query(f"rate(process_cpu_seconds_total{{{ENV}}}{RATE})", "{{pod}} {{role}} {{pid}}"),
            )
        )
    )
    document = json.loads(json.dumps(board.build(), cls=JSONEncoder))
    for number, panel in enumerate(document["panels"], start=1):
        panel["id"] = number  # Grafana links and embeds panels by id: unique and stable
    return document


def render() -> str:
    return json.dumps(build(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    OUTPUT.write_text(render())
    sys.stdout.write(f"wrote {OUTPUT}\n")
