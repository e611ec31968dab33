"""`chaos backtest`: the model's going-forward figure, retrained monthly and scored as served."""

import argparse
import sys

from chaos.entrypoints.cli.extras import command
from chaos.entrypoints.cli.train import backtest_line, progress_printer


def register(commands: argparse._SubParsersAction) -> None:
    backtest = commands.add_parser(
        "backtest",
        help="walk-forward backtest: retrain monthly on everything before, score each month as served",
        description="For every month from the first whole month of the holdout period, fits the family "
        "on all contacts before it and scores the month as served (calibrated day by day); prints each "
        "month and the pooled ROC AUC with a 95% interval by resampling months. Saves nothing.",
    )
    command(backtest, _backtest, extra="train")


def _backtest(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.domain.training import TrainingError
    from chaos.infrastructure.config import load_settings

    settings = load_settings()
    progress = progress_printer()
    try:
        training = bootstrap.training(settings, progress)
        result = training.backtest(progress)
    except (TrainingError, ValueError) as error:
        print(f"chaos backtest: {error}", file=sys.stderr)
        return 1
    for month in result["months"]:
        auc = "n/a" if month["roc_auc"] is None else f"{month['roc_auc']:.4f}"
        print(
            f"  {month['month']}: {month['contacts']:5d} contacts, observed {month['observed']:.3f}, "
            f"predicted {month['predicted']:.3f}, ROC AUC {auc}"
        )
    print(backtest_line(result).strip())
    return 0
