"""`chaos train`: fit, evaluate as served, gate and save a model (the use case is
chaos.application.train_model_for_appetence); what it prints is shared with `chaos retrain` and
`chaos backtest`."""

import argparse
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from chaos.domain.holdout import HOLDOUT_SHARE
from chaos.entrypoints.cli.arguments import iso_date
from chaos.entrypoints.cli.extras import command

if TYPE_CHECKING:
    from chaos.domain.model_store import ModelStore


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "train",
        help="train the appetence model from the database and save a versioned artifact",
        description="Reads marketing joined to socio_eco (point-in-time as-of rule), holds out the latest "
        f"{HOLDOUT_SHARE:.0%} of contacts, scores them as served (calibrated day by day), and saves the "
        "pipeline with its metadata and HTML report under model.directory. duration_contact is "
        "excluded (known only after the call).",
    )
    parser.add_argument(
        "--champion",
        action="store_true",
        help="make the new model the one to serve, if it is not worse than the current champion",
    )
    parser.add_argument(
        "--force", action="store_true", help="with --champion: promote even if worse (recorded)"
    )
    parser.add_argument("--since", type=iso_date, help="train on contacts on or after this date")
    parser.add_argument("--until", type=iso_date, help="train on contacts before this date")
    parser.add_argument(
        "--backtest", action="store_true", help="also run the monthly walk-forward backtest (a minute or two)"
    )
    command(parser, _train, extra="train")


def progress_printer() -> Callable[[str], None]:
    """Stages on stderr with the seconds since the command started."""
    started = time.monotonic()

    def progress(stage: str) -> None:
        print(f"[{time.monotonic() - started:6.1f}s] {stage}", file=sys.stderr)

    return progress


def _train(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.application.train_model_for_appetence import PromotionRefused
    from chaos.domain.model_store import ModelLoadError
    from chaos.domain.training import TrainingError, TrainingWindow
    from chaos.infrastructure.config import load_settings

    settings = load_settings()
    if args.force and not args.champion:
        print("chaos train: --force only makes sense with --champion", file=sys.stderr)
        return 2
    window = TrainingWindow(args.since, args.until)
    store = bootstrap.model_publisher(settings)
    progress = progress_printer()
    try:
        training = bootstrap.training(settings, progress)
        version = training.train(args.champion, progress, window, args.force, args.backtest)
    except (TrainingError, ModelLoadError) as error:  # a full disk, an unreachable store: one line
        print(f"chaos train: {error}", file=sys.stderr)
        return 1
    except PromotionRefused as refused:
        print(describe(refused.version, store.metadata(refused.version), store))
        print(f"chaos train: {refused}", file=sys.stderr)
        return 1
    print(describe(version, store.metadata(version), store))
    return 0


def describe(version: str, metadata: dict, store: "ModelStore") -> str:
    """What `chaos train` prints: where the model is, its figures, the gate's verdict."""
    from chaos.domain.model_store import REPORT_FILE

    data, metrics, promotion = metadata["data"], metadata["metrics"], metadata["promotion"]
    marked = " and marked champion" if store.champion() == version else ""
    lines = [
        f"model {version} ({metadata['model_family']}) saved in {store.where(version)}{marked}",
        f"  data {data['first_date']} .. {data['last_date']}: {data['rows_train']} training contacts, "
        f"{data['rows_holdout']} held out from {data['holdout_first_date']}; left out "
        f"{data['rows_without_socio_eco']} contacts without point-in-time indicators and "
        f"{data.get('rows_pending', 0)} pending (outcome unknown)",
        "  holdout as served: "
        + ", ".join(f"{name} {_figure(value, '.4f')}" for name, value in metrics.items()),
        *uncertainty_lines(metadata.get("intervals"), metadata.get("steady")),
        *coverage_lines(metadata.get("coverage")),
        *sensitivity_lines(metadata.get("sensitivity")),
        f"  report: {store.where(version, REPORT_FILE)}",
        "  excluded: " + ", ".join(metadata["excluded"]),
    ]
    if metadata.get("backtest"):
        lines.append(backtest_line(metadata["backtest"]))
    comparison = promotion["comparison"]
    if comparison:
        low, high = comparison["auc_difference_interval"]
        lines.append(
            f"  vs champion {comparison['champion']}: AUC {comparison['auc_candidate']:.4f} vs "
            f"{comparison['auc_champion']:.4f} (difference 95% interval [{low:+.4f}, {high:+.4f}]), "
            f"Brier {comparison['brier_candidate']:.4f} vs {comparison['brier_champion']:.4f}: "
            + comparison["reason"]
        )
    lines.append(f"  promotion: {promotion['decision']}")
    return "\n".join(lines)


def uncertainty_lines(intervals: dict | None, steady: dict | None) -> list[str]:
    """The headline's 95% intervals by resampling months, and the figures of the steady months."""
    if not intervals or not steady:
        return []
    lines = [f"  95% intervals by resampling its {intervals['months']} months: {_bounds(intervals)}"]
    dominant = ", ".join(f"{m['month']} ({m['share']:.0%} of the holdout)" for m in steady["dominant"])
    head = (
        f"  steady months ({len(steady['months'])}, {steady['contacts']} contacts; "
        f"left out: {dominant or 'none'})"
    )
    figures = steady["metrics"]
    if figures is None:
        return [*lines, head + ": too few subscribers or non-subscribers to judge"]
    return [
        *lines,
        f"{head}: ROC AUC {figures['roc_auc']:.4f}, Brier {figures['brier']:.4f} "
        f"(skill {figures['brier_skill']:.3f}); {_bounds(steady['intervals'])}",
    ]


def _bounds(intervals: dict) -> str:
    (auc_low, auc_high), (brier_low, brier_high) = intervals["roc_auc"], intervals["brier"]
    return f"ROC AUC [{auc_low:.4f}, {auc_high:.4f}], Brier [{brier_low:.4f}, {brier_high:.4f}]"


def coverage_lines(coverage: dict | None) -> list[str]:
    """The contacts the service would refuse as too old, and the figures on those it answers."""
    if not coverage:
        return []
    answered = coverage["metrics_answered"]
    line = (
        f"  freshness limit: {coverage['refused_as_stale']} of {coverage['judged']} holdout contacts "
        "refused (indicators too old)"
    )
    if answered:
        line += f"; on the others ROC AUC {answered['roc_auc']:.4f}, Brier {answered['brier']:.4f}"
    return [line]


def sensitivity_lines(sensitivity: dict | None) -> list[str]:
    """The served figures at each reporting lag tried."""
    if not sensitivity:
        return []
    cells = [
        f"{row['reporting_lag_days']} d: AUC {row['roc_auc']:.4f} Brier {row['brier']:.4f} "
        f"slope {_figure(row['calibration_slope'], '.2f')}"
        for row in sensitivity["reporting_lag_days"]
    ]
    return ["  outcomes reported late (lag): " + "; ".join(cells)]


def _figure(value: float | None, spec: str) -> str:
    """A figure in `spec`; n/a for one that does not exist (a slope with no finite fit)."""
    return "n/a" if value is None else format(value, spec)


def backtest_line(backtest: dict) -> str:
    low, high = backtest["pooled_roc_auc_interval"]
    months = backtest["months"]
    return (
        f"  walk-forward backtest {months[0]['month']} .. {months[-1]['month']} "
        f"({backtest['contacts']} contacts): "
        f"pooled ROC AUC {backtest['pooled_roc_auc']:.4f}, 95% interval by months [{low:.4f}, {high:.4f}], "
        f"Brier {backtest['pooled_brier']:.4f}"
    )
