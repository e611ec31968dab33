"""A poisoning reporter, as the acceptance tests send it: a key allowed to report outcomes invents
contacts (new ids, a real customer's fields) reported as subscribed on the day before the next
contact day, first a few, then a flood, and the next day's mean served probability is measured
before and after, each time on a calibration computed afresh by the calibration job."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask.testing import FlaskClient
from prometheus_client import REGISTRY

from chaos.domain.outcome import Outcome

FEW, FLOOD = 50, 11_173
"""The invented contacts of each report: fifty, then more than a full-size report."""
FIRST_INVENTED_ID = 900_000_000
"""Far above any contact id of the demo data or the bank's export."""
BOUND = 0.001
"""How far the next day's mean served probability may move, with the default `outcomes` settings."""


def invented(count: int, first_id: int, day: date, fields: dict) -> dict:
    """A report of `count` invented contacts, subscribed on `day`, with a real customer's `fields`."""
    return {
        "outcomes": [
            {"id": first_id + i, "outcome": Outcome.SUBSCRIBED.value, **fields, "date": day.isoformat()}
            for i in range(count)
        ]
    }


def mean_served(scorer: FlaskClient, customers: list[dict]) -> float:
    """The mean appetence the API answers for `customers` (each with its contact day)."""
    answer = scorer.post("/appetence/batch", json={"customers": customers})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:2000]
    scores = [result["appetence"] for result in answer.json["results"]]
    return sum(scores) / len(scores)


def refused_rows(key_id: str, reason: str) -> float:
    return (
        REGISTRY.get_sample_value("chaos_outcome_reports_refused_total", {"key_id": key_id, "reason": reason})
        or 0.0
    )


@dataclass(frozen=True)
class Poisoning:
    before: float
    """The next day's mean served probability before the reports."""
    after: float
    """The same, once the calibration job ran again after them."""
    answers: list
    """The answers to the few invented contacts, then to the flood."""

    @property
    def moved(self) -> float:
        return abs(self.after - self.before)


def poison(
    scorer: FlaskClient,
    intruder: FlaskClient,
    calibrate: Callable[[], object],
    customers: list[dict],
    day: date,
    fields: dict,
) -> Poisoning:
    """Calibrate and score `customers` (the next day's), let `intruder` report its invented
    contacts subscribed on `day`, then calibrate and score them again."""
    calibrate()
    before = mean_served(scorer, customers)
    answers = [
        intruder.post("/outcomes", json=invented(FEW, FIRST_INVENTED_ID, day, fields)),
        intruder.post("/outcomes", json=invented(FLOOD, FIRST_INVENTED_ID + FEW, day, fields)),
    ]
    calibrate()
    return Poisoning(before, mean_served(scorer, customers), answers)
