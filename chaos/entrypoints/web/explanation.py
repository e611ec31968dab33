"""`?explain=true`: each feature's exact contribution to the log-odds, from the same compiled
terms that scored the customer, so that they add up to the score."""

from chaos.domain.customer import Appetence
from chaos.domain.scoring import ScoringModel
from chaos.entrypoints.web.calibration_schema import Contribution, Explanation
from chaos.entrypoints.web.query_flags import true_or_false

EXPLAIN_PARAMETER = "explain"


def explain_requested() -> bool:
    """`?explain=true`; absent or false: no explanation; any other value is refused (422)."""
    return true_or_false(EXPLAIN_PARAMETER)


def explanation(result: Appetence, model: ScoringModel) -> Explanation:
    terms = model.contributions(result.inputs)
    ranked = sorted(terms.items(), key=lambda item: abs(item[1]), reverse=True)
    return Explanation(
        log_odds=result.calibration.served_log_odds(result.log_odds),
        intercept=model.intercept,
        calibration_shift=result.calibration.shift,
        calibration_slope=result.calibration.slope,
        calibration_offset=result.calibration.offset,
        contributions=[
            Contribution(feature=name, value=result.inputs[name], contribution=value)
            for name, value in ranked
        ],
    )
