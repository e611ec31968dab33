"""Training, the use case behind `chaos train`, `chaos retrain` and `chaos backtest`: a candidate
fitted and judged by the trainer (the domain's ModelTrainer port), published to the model store,
and made the champion when asked and the gate lets it.

With `champion`, the promotion gate compares the candidate with the champion's recipe fitted on the
same older contacts, on the same holdout; `force` overrides, and says so in the metadata. Every
version is published with its HTML report in a signed manifest. `retrain` trains only when the rows
training would use differ from those the champion was trained on (their fingerprint).
"""

from collections.abc import Callable
from dataclasses import dataclass

from chaos.domain.model_store import REPORT_FILE, ModelLoadError, ModelPublisher
from chaos.domain.training import ModelTrainer, TrainingError, TrainingWindow, Verdict

EVERY_CONTACT = TrainingWindow()
"""The default training window: open at both ends."""


class PromotionRefused(Exception):
    """The candidate was saved but is worse than the champion, which stays."""

    def __init__(self, version: str, verdict: Verdict):
        self.version = version
        self.comparison = verdict
        super().__init__(
            f"model {version} not promoted: {verdict.reason}; champion {verdict.champion} unchanged "
            "(--force to promote it anyway)"
        )


@dataclass(frozen=True)
class Retraining:
    """What `retrain` did: `version` trained, or None when the data had not changed."""

    version: str | None
    champion: str | None
    fingerprint: str


@dataclass(frozen=True)
class Training:
    models: ModelPublisher
    trainer: ModelTrainer

    def train(
        self,
        champion: bool,
        progress: Callable[[str], None] = lambda stage: None,
        window: TrainingWindow = EVERY_CONTACT,
        force: bool = False,
        backtest: bool = False,
    ) -> str:
        """Publish a new version and return it. Raises PromotionRefused (after publishing the
        candidate) when `champion` is asked and the gate refuses, TrainingError when no meaningful
        model can be trained."""
        pointer = self.models.champion_pointer()
        current = pointer.text
        recipe = (current, self._recipe(current)) if champion and current else None
        candidate = self.trainer.candidate(window, recipe, backtest, progress)
        verdict = candidate.verdict
        promote = champion and (verdict is None or verdict.promote or force)
        metadata = {**candidate.metadata, "promotion": _promotion(champion, current, verdict, promote, force)}
        progress("writing the report and saving the artifact")
        version = self.models.publish(
            candidate.artifact,
            metadata,
            champion=promote,
            files=lambda version: {REPORT_FILE: candidate.report({**metadata, "version": version})},
            read=pointer,
        )
        if verdict is not None and not promote:
            raise PromotionRefused(version, verdict)
        return version

    def retrain(self, progress: Callable[[str], None], backtest: bool = False) -> Retraining:
        """Train as `train(champion=True)` does, only if the data changed since the champion's."""
        current = self.models.champion()
        used = self.models.metadata(current).get("data", {}).get("fingerprint") if current else None
        now = self.trainer.fingerprint()
        if used == now:
            return Retraining(None, current, now)
        progress(f"data changed since champion {current or '(none)'}: {used} -> {now}")
        return Retraining(self.train(True, progress, backtest=backtest), current, now)

    def backtest(self, progress: Callable[[str], None]) -> dict:
        return self.trainer.backtest(progress)

    def _recipe(self, version: str) -> TrainingWindow:
        try:
            return TrainingWindow.recorded(self.models.metadata(version))
        except ModelLoadError as error:
            raise TrainingError(f"cannot compare with the champion: {error}") from error


def _promotion(
    requested: bool, champion: str | None, verdict: Verdict | None, promote: bool, force: bool
) -> dict:
    if not requested:
        decision = "not requested"
    elif verdict is None:
        decision = "first champion"
    elif verdict.promote:
        decision = "promoted"
    else:
        decision = "forced" if force and promote else "refused"
    return {
        "requested": requested,
        "decision": decision,
        "previous_champion": champion,
        "comparison": verdict.as_dict() if verdict else None,
    }
