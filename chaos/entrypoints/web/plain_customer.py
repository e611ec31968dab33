"""The common `POST /appetence` body read without pydantic's model: a JSON object of known fields,
each value already in its canonical kind (labels the model knows, JSON booleans or yes/no spellings,
integers within range, a `YYYY-MM-DD` date within the horizon, a contact id).

A marketing tool sends that shape on every call, and building it through the request model (its
Python validators, then `model_dump`) cost a scoring request more CPU than the scoring itself. Any
body this reader is not sure of — malformed JSON, an unknown or missing field, a value of another
kind, out of range, a float, an unknown label — it declines (None), and the request model reads it:
so every error, and every value it accepts, is the request model's own (a test holds the two equal).
"""

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from pydantic_core import PydanticCustomError, from_json

from chaos.domain.features import BOOLEAN, CATEGORICAL, CUSTOMER_FEATURES, NUMERIC, RANGES
from chaos.infrastructure.importing.layouts import INT64

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECLINED = object()


def canonical_labels(labels: list[str]) -> dict[str, str]:
    """Each label by its trimmed, case-folded spelling: how a request's label is matched."""
    return {label.strip().casefold(): label for label in labels}


class PlainCustomer:
    """Reads the common shape for one model's vocabulary with the request model's own rules for a
    date (`within_horizon`) and a flag's spellings (`flag`)."""

    def __init__(
        self,
        vocabulary: Mapping[str, list[str]],
        required: frozenset[str],
        within_horizon: Callable[[date | None], date | None],
        flag: Callable[[object], object],
    ):
        self.within_horizon = within_horizon
        self.required = required
        self._readers: dict[str, Any] = {
            **{name: _label(canonical_labels(vocabulary[name])) for name in CATEGORICAL},
            **dict.fromkeys(BOOLEAN, _flag(flag)),
            **{name: _number(*RANGES[name]) for name in NUMERIC},
        }

    def read(self, body: bytes) -> tuple[int | None, date | None, dict[str, object]] | None:
        """(contact id, date, every customer feature) of a body in the common shape, else None."""
        try:
            document = from_json(body)
        except ValueError:
            return None
        if type(document) is not dict or not self.required <= document.keys():
            return None
        features = dict.fromkeys(CUSTOMER_FEATURES)
        contact_id = day = None
        for name, value in document.items():
            reader = self._readers.get(name)
            if reader is not None:
                value = reader(value)
                if value is _DECLINED or (value is None and name in self.required):
                    return None
                features[name] = value
            elif name == "id":
                if value is not None and not (type(value) is int and 0 <= value <= INT64):
                    return None
                contact_id = value
            elif name == "date":
                day = self._day(value)
                if day is _DECLINED:
                    return None
            else:
                return None
        return contact_id, day, features  # type: ignore[return-value]

    def _day(self, value: object) -> object:
        if value is None:
            return None
        if type(value) is not str or not _ISO_DAY.fullmatch(value):
            return _DECLINED
        try:
            return self.within_horizon(date.fromisoformat(value))
        except (ValueError, PydanticCustomError):
            return _DECLINED


def _label(canonical: dict[str, str]):
    def read(value: object) -> object:
        if value is None:
            return None
        if type(value) is not str:
            return _DECLINED
        return canonical.get(value.strip().casefold(), _DECLINED)

    return read


def _flag(spelled: Callable[[object], object]):
    def read(value: object) -> object:
        if type(value) is str:
            value = spelled(value)
        return value if value is None or type(value) is bool else _DECLINED

    return read


def _number(low: int, high: int):
    def read(value: object) -> object:
        if value is None or (type(value) is int and low <= value <= high):
            return value
        return _DECLINED

    return read
