"""`chaos retrain`: retraining when the data changed, gated and published to the model store.

The use case (chaos.application.train_model_for_appetence) compares the fingerprint of the rows
training would use now with the champion's; when they differ it trains with `--champion` semantics
(the promotion gate decides). A new champion is published to the configured store (model.store)
and its pointer moved: the pods follow it within `model.refresh_seconds`, with no image build
(deployment/README.md).
"""

import argparse
import sys

from chaos.entrypoints.cli.extras import command
from chaos.entrypoints.cli.train import describe, progress_printer

NOT_PROMOTED = 3
"""`chaos retrain`'s exit status when a candidate was trained but the gate kept the champion."""


def register(commands: argparse._SubParsersAction) -> None:
    retrain = commands.add_parser(
        "retrain",
        help="retrain only if the data changed since the champion, gate, and publish a new champion",
        description="Trains when the fingerprint of the rows training uses differs from the champion's; "
        "the promotion gate decides (exit status 3: trained but not promoted). Every version is "
        "published to the configured model store, a new champion with its pointer.",
    )
    retrain.add_argument("--backtest", action="store_true", help="include the walk-forward backtest")
    command(retrain, _retrain, extra="train")


def _retrain(args: argparse.Namespace) -> int:
    from chaos import bootstrap
    from chaos.application.train_model_for_appetence import PromotionRefused
    from chaos.domain.model_store import ModelLoadError
    from chaos.domain.training import TrainingError
    from chaos.infrastructure.config import load_settings

    settings = load_settings()
    progress = progress_printer()
    try:
        training = bootstrap.training(settings, progress)
        store = training.models
        done = training.retrain(progress, backtest=args.backtest)
    except (TrainingError, ModelLoadError) as error:
        print(f"chaos retrain: {error}", file=sys.stderr)
        return 1
    except PromotionRefused as refused:
        print(describe(refused.version, store.metadata(refused.version), store))
        print(f"chaos retrain: {refused}", file=sys.stderr)
        return NOT_PROMOTED
    if done.version is None:
        print(
            f"chaos retrain: champion {done.champion} was trained on these very data ({done.fingerprint}); "
            "nothing to do"
        )
        return 0
    print(describe(done.version, store.metadata(done.version), store))
    return 0
