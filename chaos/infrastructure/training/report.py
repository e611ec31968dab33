"""The model report: one self-contained HTML page per version, pictures first, figures beside them.

Charts are drawn by matplotlib (the reference plotting library for scientific Python) as SVG and
inlined, so the page opens offline, from a file, a mail or `GET /models/<version>/report`, with
nothing fetched from anywhere. Training only: serving never imports matplotlib.
"""

import html
import io
from collections.abc import Sequence

import numpy as np

from chaos.infrastructure.training.evaluation import Evaluation

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; color: #222; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { padding: 0.2em 0.8em; text-align: right; }
th { background: #f0f0f0; } td:first-child, th:first-child { text-align: left; }
.verdict { font-weight: bold; } figure { margin: 0; } svg { max-width: 100%; height: auto; }
"""


def render_report(metadata: dict, evaluation: Evaluation, pipeline) -> bytes:
    """The report of a model about to be saved, from its metadata and holdout evaluation."""
    import matplotlib

    matplotlib.use("Agg")
    from chaos.infrastructure.training.logistic_compiler import compile_logistic

    metrics, data, fit = metadata["metrics"], metadata["data"], metadata["fit"]
    sections = [
        f"<h1>Appetence model {html.escape(metadata['version'])} ({metadata['model_family']})</h1>",
        f"<p>Trained {metadata['trained_at']} on {data['rows_train']} contacts "
        f"(window {_window(metadata['training_window'])}); "
        f"holdout: the latest {data['rows_holdout']} contacts with a known outcome, "
        f"from {data['holdout_first_date']}, scored as served ({metadata['protocol']['scored_as']}). "
        f"The figures below are this evaluation's; the model published was then refit on "
        f"{fit['rows']} contacts, {fit['first_date']} .. {fit['last_date']} "
        f"(cutoff {fit['cutoff'] or 'none'}), and its per-feature terms are shown.</p>",
        _table(["figure", "holdout"], [[name, _figure(value)] for name, value in metrics.items()]),
        "<h2>Uncertainty: intervals by resampling months, and the steady months</h2>"
        + _uncertainty(metrics, metadata.get("intervals"), metadata.get("steady")),
        "<h2>Promotion</h2>" + _promotion(metadata["promotion"]),
        "<h2>Ranking: ROC and precision-recall curves</h2>" + _curves(evaluation),
        "<h2>Reliability: predicted vs observed by decile</h2>" + _reliability(metadata["by_decile"]),
        "<h2>Level over time: observed vs predicted rate by month</h2>" + _months(metadata["by_month"]),
        "<h2>Per-feature terms (log-odds)</h2>" + _terms(compile_logistic(pipeline)),
        "<h2>Walk-forward backtest</h2>" + _backtest(metadata.get("backtest")),
        "<h2>Outcomes reported late: the served figures by reporting lag</h2>"
        + _sensitivity(metadata.get("sensitivity"), metadata["protocol"]["calibration"]),
        "<h2>Coverage under the freshness limit</h2>" + _coverage(metadata.get("coverage")),
    ]
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>chaos model report</title><style>{_STYLE}</style></head><body>"
        + "\n".join(sections)
        + "</body></html>"
    )
    return page.encode("utf-8")


def _window(window: dict) -> str:
    return f"{window['since'] or 'start'} .. {window['until'] or 'holdout'}"


def _figure(value: float | None) -> str:
    """A figure to 4 decimals; n/a for one that does not exist (a slope with no finite fit)."""
    return "n/a" if value is None else f"{value:.4f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    head = "".join(f"<th>{html.escape(str(cell))}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _promotion(promotion: dict) -> str:
    text = f'<p class="verdict">Decision: {html.escape(promotion["decision"])}</p>'
    comparison = promotion.get("comparison")
    if not comparison:
        return text + "<p>No champion to compare with.</p>"
    low, high = comparison["auc_difference_interval"]
    rows = [
        ["ROC AUC", f"{comparison['auc_candidate']:.4f}", f"{comparison['auc_champion']:.4f}"],
        ["Brier", f"{comparison['brier_candidate']:.4f}", f"{comparison['brier_champion']:.4f}"],
    ]
    return (
        text
        + _table(["same holdout, same protocol", "this model", f"champion {comparison['champion']}"], rows)
        + f"<p>AUC difference, 95% interval by resampling months: [{low:+.4f}, {high:+.4f}]. "
        f"{html.escape(comparison['reason'])}.</p>"
    )


def _uncertainty(metrics: dict, intervals: dict | None, steady: dict | None) -> str:
    if not intervals or not steady:
        return "<p>Not measured.</p>"
    dominant = ", ".join(
        f"{m['month']} ({m['contacts']} contacts, {m['share']:.0%} of the holdout)"
        for m in steady["dominant"]
    )
    text = (
        f"<p>95% intervals: {html.escape(intervals['method'])} ({intervals['resamples']} resamples of its "
        f"{intervals['months']} months, seed {intervals['seed']}). The steady months: "
        f"{html.escape(steady['rule'])} (median month: {steady['median_month_contacts']:g} contacts). "
        f"Left out: {html.escape(dominant or 'none')}; {len(steady['months'])} months and "
        f"{steady['contacts']} contacts kept.</p>"
    )
    figures = steady["metrics"]
    if figures is None:
        return text + "<p>The steady months hold too few subscribers or non-subscribers to judge.</p>"
    rows = [
        [
            name,
            _figure(value),
            _interval(intervals.get(name)),
            _figure(figures[name]),
            _interval(steady["intervals"].get(name)),
        ]
        for name, value in metrics.items()
    ]
    return text + _table(["figure", "holdout", "95% interval", "steady months", "95% interval"], rows)


def _interval(bounds: list[float] | None) -> str:
    return "" if bounds is None else f"[{bounds[0]:.4f}, {bounds[1]:.4f}]"


def _curves(evaluation: Evaluation) -> str:
    from matplotlib.figure import Figure
    from sklearn.metrics import precision_recall_curve, roc_curve

    target, probability = evaluation.target, evaluation.probability
    figure = Figure(figsize=(10, 4.5))
    roc, pr = figure.subplots(1, 2)
    false_positive, true_positive, _ = roc_curve(target, probability)
    roc.plot(false_positive, true_positive, label=f"AUC {evaluation.metrics['roc_auc']:.3f}")
    roc.plot([0, 1], [0, 1], linestyle=":", color="grey", label="chance")
    roc.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC")
    roc.legend(loc="lower right")
    precision, recall, _ = precision_recall_curve(target, probability)
    pr.plot(recall, precision, label=f"PR AUC {evaluation.metrics['pr_auc']:.3f}")
    pr.axhline(target.mean(), linestyle=":", color="grey", label="subscription rate")
    pr.set(xlabel="recall", ylabel="precision", title="Precision-recall")
    pr.legend(loc="upper right")
    return _svg(figure)


def _reliability(deciles: list[dict]) -> str:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(5, 5))
    axes = figure.subplots()
    predicted = [d["predicted"] for d in deciles]
    axes.plot([0, 1], [0, 1], linestyle=":", color="grey", label="perfect")
    axes.plot(predicted, [d["observed"] for d in deciles], marker="o", label="deciles of the holdout")
    axes.set(xlabel="mean predicted appetence", ylabel="observed subscription rate", xlim=(0, 1), ylim=(0, 1))
    axes.legend(loc="upper left")
    rows = [[d["group"], d["contacts"], f"{d['predicted']:.3f}", f"{d['observed']:.3f}"] for d in deciles]
    return _svg(figure) + _table(["decile", "contacts", "predicted", "observed"], rows)


def _months(months: list[dict]) -> str:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(10, 4))
    axes = figure.subplots()
    x = np.arange(len(months))
    axes.plot(x, [m["observed"] for m in months], marker="o", label="observed")
    axes.plot(x, [m["predicted"] for m in months], marker="s", label="predicted (as served)")
    axes.set_xticks(x, [m["group"] for m in months], rotation=60, fontsize=8)
    axes.set(ylabel="subscription rate", ylim=(0, 1))
    axes.legend(loc="upper left")
    figure.tight_layout()
    return _svg(figure)


def _terms(scorer) -> str:
    from matplotlib.figure import Figure

    names = [
        f"{t.name} (per std. dev. of its signed log)" if t.signed_log else f"{t.name} (per std. dev.)"
        for t in scorer.numbers
    ]
    values = [t.coef for t in scorer.numbers]
    for term in scorer.labels:
        names += [f"{term.name} = {label}" for label in term.coefs]
        values += list(term.coefs.values())
    figure = Figure(figsize=(9, 0.22 * len(names) + 1))
    axes = figure.subplots()
    y = np.arange(len(names))
    axes.barh(y, values, color=["#2a7" if v >= 0 else "#c44" for v in values])
    axes.set_yticks(y, names, fontsize=7)
    axes.invert_yaxis()
    axes.axvline(0, color="black", linewidth=0.5)
    axes.set(xlabel="term added to the log-odds")
    figure.tight_layout()
    return f"<p>Intercept {scorer.intercept:+.4f}, before the daily calibration shift.</p>" + _svg(figure)


def _sensitivity(sensitivity: dict | None, policy: dict) -> str:
    if not sensitivity:
        return "<p>Not measured.</p>"
    rows = [
        [row["reporting_lag_days"], *(_figure(row[name]) for name in _SENSITIVITY_FIGURES), row["stale_days"]]
        for row in sensitivity["reporting_lag_days"]
    ]
    return (
        f"<p>Judged with a reporting lag of {policy['reporting_lag_days']} days. Each row scores the holdout "
        "as that policy serves it if the outcomes of day t reached chaos only lag days later than it says: "
        "its windows hold what is known by each day, as the service's do (the age limit raised where the "
        "lag reaches it).</p>" + _table(["lag (days)", *_SENSITIVITY_FIGURES, "stale days"], rows)
    )


_SENSITIVITY_FIGURES = ("roc_auc", "within_month_auc", "brier", "calibration_slope")


def _coverage(coverage: dict | None) -> str:
    if not coverage:
        return "<p>Not measured.</p>"
    answered = coverage["metrics_answered"] or {}
    return (
        f"<p>The service refuses {coverage['refused_as_stale']} of the {coverage['judged']} holdout contacts "
        "(their indicators are older than <code>socio_eco.max_age_days</code>); the figures above are on "
        "all of them, these on the contacts it answers.</p>"
        + _table(["figure", "answered"], [[name, _figure(value)] for name, value in answered.items()])
    )


def _backtest(backtest: dict | None) -> str:
    if not backtest:
        return "<p>Not run for this version: see <code>chaos train --backtest</code>.</p>"
    from matplotlib.figure import Figure

    months = backtest["months"]
    low, high = backtest["pooled_roc_auc_interval"]
    figure = Figure(figsize=(10, 3.5))
    axes = figure.subplots()
    x = np.arange(len(months))
    axes.plot(x, [m["roc_auc"] if m["roc_auc"] is not None else np.nan for m in months], marker="o")
    axes.axhspan(low, high, alpha=0.2, label="pooled AUC 95% interval")
    axes.axhline(backtest["pooled_roc_auc"], linestyle="--", label="pooled AUC")
    axes.set_xticks(x, [m["month"] for m in months], rotation=60, fontsize=8)
    axes.set(ylabel="ROC AUC of the month", title="Retrained monthly on everything before, scored as served")
    axes.legend(loc="lower left")
    figure.tight_layout()
    return (
        f"<p>Pooled ROC AUC {backtest['pooled_roc_auc']:.4f}, 95% interval by resampling months "
        f"[{low:.4f}, {high:.4f}], Brier {backtest['pooled_brier']:.4f}, "
        f"over {backtest['contacts']} contacts.</p>" + _svg(figure)
    )


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return "<figure>" + text[text.index("<svg") :] + "</figure>"
