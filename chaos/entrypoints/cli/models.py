"""`chaos backtest` and `chaos retrain`: the model's going-forward figure, and retraining when the data
changed, gated and published to the model store.

`retrain` compares the fingerprint of the rows training would use now with the champion's; when they
differ it trains with `--champion` semantics (the promotion gate decides). A new champion is
published to the configured store (model.store) and its pointer moved: the pods follow it within
`model.refresh_seconds`, with no image build (deployment/README.md).
"""

import argparse
import sys
from typing import TYPE_CHECKING

from chaos.entrypoints.cli.extras import command
from chaos.entrypoints.cli.train import backtest_line, describe, progress_printer

if TYPE_CHECKING:
    from chaos.infrastructure.models.artifacts import ArtifactStore

NOT_PROMOTED = 3
"""`chaos retrain`'s exit status when a candidate was trained but the gate kept the champion."""


def register(commands: argparse._SubParsersAction) -> None:
    backtest = commands.add_parser(
        "backtest",
        help="walk-forward backtest: retrain monthly on everything before, score each month as served",
        description="For every month from the first whole month of the holdout period, fits the family "
        "on all contacts before it and scores the month as served (calibrated day by day); prints each "
        "month and the pooled ROC AUC with a 95%% interval by resampling months. Saves nothing.",
    )
    command(backtest, _backtest, extra="train")
    retrain = commands.add_parser(
        "retrain",
        help="retrain only if the data changed since the champion, gate, and publish a new champion",
        description="Trains when the fingerprint of the rows training uses differs from the champion's; "
        "the promotion gate decides (exit status 3: trained but not promoted). Every version is "
        "published to the configured model store, a new champion with its pointer.",
    )
    retrain.add_argument("--backtest", action="store_true", help="include the walk-forward backtest")
    command(retrain, _retrain, extra="train")


def _backtest(args: argparse.Namespace) -> int:
    from chaos.application import bootstrap
    from chaos.application.train_model_for_appetence import TrainingError, read_training_data
    from chaos.infrastructure.models.backtest import walk_forward

    settings = bootstrap.settings()
    progress = progress_printer()
    try:
        with bootstrap.database(settings) as engine:
            data = read_training_data(settings, engine, progress)
        result = walk_forward(data, progress)
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


def _retrain(args: argparse.Namespace) -> int:
    from chaos.application import bootstrap
    from chaos.application.train_model_for_appetence import (
        PromotionRefused,
        TrainingError,
        read_training_data,
        train_on,
    )
    from chaos.infrastructure.models.artifacts import ModelLoadError
    from chaos.infrastructure.models.fingerprint import fingerprint

    settings = bootstrap.settings()
    store = bootstrap.model_store(settings)
    progress = progress_printer()
    try:
        with bootstrap.database(settings) as engine:
            data = read_training_data(settings, engine, progress)
        current = store.champion()
        used = _champion_fingerprint(store, current)
        now = fingerprint(data)
        if used == now:
            print(f"chaos retrain: champion {current} was trained on these very data ({now}); nothing to do")
            return 0
        progress(f"data changed since champion {current or '(none)'}: {used} -> {now}")
        version = train_on(data, settings, True, progress, backtest=args.backtest)
    except (TrainingError, ModelLoadError) as error:
        print(f"chaos retrain: {error}", file=sys.stderr)
        return 1
    except PromotionRefused as refused:
        print(describe(refused.version, store.metadata(refused.version), store))
        print(f"chaos retrain: {refused}", file=sys.stderr)
        return NOT_PROMOTED
    print(describe(version, store.metadata(version), store))
    return 0


def _champion_fingerprint(store: "ArtifactStore", champion: str | None) -> str | None:
    """None without a champion, or for one trained before fingerprints were recorded."""
    return store.metadata(champion).get("data", {}).get("fingerprint") if champion else None
