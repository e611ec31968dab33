"""What a readable file holds: columns, their French export names and parsers, for each table
and for a list of customers to score.

The canonical names are those of `tables.py`; a file may use them or the bank's French
headers, column by column, in any order.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import sqlalchemy as sa

from chaos.domain.features import CUSTOMER_FEATURES, RANGES
from chaos.domain.outcome import Outcome
from chaos.infrastructure.db import tables
from chaos.infrastructure.importing import values
from chaos.infrastructure.importing.values import Parser

INT32 = 2**31 - 1
INT64 = 2**63 - 1


@dataclass(frozen=True)
class Column:
    name: str
    """Canonical name, the table column."""
    parse: Parser
    french: str | None = None
    required: bool = False
    """A row without a value is rejected ("<column>: missing")."""


@dataclass(frozen=True)
class Derived:
    """A column computed from another when the file does not carry it, and checked against it when
    it carries both (a pending call given a label is refused, not stored as a refusal)."""

    source: str
    compute: Callable[[object], object]


@dataclass(frozen=True)
class Layout:
    table: sa.Table
    key: str
    columns: tuple[Column, ...]
    keyed_by_row_index: bool = False
    """The key is the export's row index: an unnamed leading column, a key column, or else the row's
    1-based position among the data rows. Otherwise an unnamed leading column is ignored."""
    derived: dict[str, Derived] = field(default_factory=dict)
    ignored: tuple[Column, ...] = ()
    """Columns a file may carry that this layout does not use (the table's others, the export's):
    read past, and listed."""
    optional: bool = False
    """True: a column may be absent from the header (its values are then unknown)."""
    title: str = ""
    """What the file holds, in messages; the table's name by default."""

    @property
    def name(self) -> str:
        return self.title or self.table.name

    def __post_init__(self) -> None:
        used = {c.name for c in self.columns}
        table = set(tables.data_columns(self.table))
        assert used <= table <= used | {c.name for c in self.ignored}, self.table.name

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _subscribed(outcome: object) -> bool | None:
    """The label of a parsed status: None (unknown) while the call is pending."""
    return Outcome(str(outcome)).subscribed


SCORING_INPUTS = frozenset({"date", *CUSTOMER_FEATURES})

_REQUEST_CELL_BOUNDS = {
    "age": (0, 150),
    "balance": (-INT32, INT32),
    "nb_contact": (0, INT32),
    "nb_day_last_contact": (-1, INT32),
    "nb_contact_last_campaign": (0, INT32),
}
"""What a number cell of a CSV request body may hold. The domain's `RANGES` are the request model's to
check there, so a CSV body's 422 names the allowed values as a JSON body's does."""


def _marketing_columns(bounds: Mapping[str, tuple[int, int]]) -> tuple[Column, ...]:
    """The call log's columns, each customer feature's number held within `bounds`."""
    count = values.integer(0, INT32)
    return (
        Column("id", values.integer(0, INT64), required=True),
        Column("date", values.day, "date", required=True),
        Column("age", values.age(*bounds["age"]), "age"),
        Column("job_type", values.label, "job"),
        Column("status", values.label, "relation"),
        Column("education", values.label, "education"),
        Column("has_default", values.flag, "defaut"),
        Column("balance", values.integer(*bounds["balance"]), "balance", required=True),
        Column("has_housing_loan", values.flag, "pret_immo"),
        Column("has_perso_loan", values.flag, "pret_perso"),
        Column("contact", values.label, "contact"),
        Column("duration_contact", count, "duree_contact", required=True),
        Column("nb_contact", values.integer(*bounds["nb_contact"]), "nb_contact", required=True),
        Column(
            "nb_day_last_contact",
            values.integer(*bounds["nb_day_last_contact"]),
            "nb_j_dernier_contact",
            required=True,
        ),
        Column(
            "nb_contact_last_campaign",
            values.integer(*bounds["nb_contact_last_campaign"]),
            "nb_contact_derniere_campagne",
            required=True,
        ),
        Column("result_last_campaign", values.label, "resultat_derniere_campagne"),
        Column("outcome", values.outcome, "statut"),
        Column("subscription", values.flag),
    )


_MARKETING_COLUMNS = _marketing_columns(RANGES)
"""The call log holds customers as the domain knows them: what training learns from, the API accepts;
a value out of its range rejects the row, with the reason."""
_REQUEST_COLUMNS = _marketing_columns(_REQUEST_CELL_BOUNDS)

MARKETING = Layout(
    table=tables.marketing,
    key="id",
    keyed_by_row_index=True,
    columns=_MARKETING_COLUMNS,
    derived={"subscription": Derived("outcome", _subscribed)},
)

CUSTOMERS = Layout(
    table=tables.marketing,
    key="id",
    keyed_by_row_index=True,
    columns=tuple(
        replace(column, required=False)
        for column in _REQUEST_COLUMNS
        if column.name in SCORING_INPUTS | {"id"}
    ),
    ignored=tuple(column for column in _REQUEST_COLUMNS if column.name not in SCORING_INPUTS | {"id"}),
    optional=True,
    title="customers to score",
)
"""Customers to score, as the bank's export or canonical columns: what the model takes (the contact
date and the customer features) and the caller's contact id (an `id` column, or the export's
unnamed leading index; none without either); the call's outcome and its duration are ignored. Which
values are required, and the ranges, are the scoring request's rule, not the file's."""

SOCIO_ECO = Layout(
    table=tables.socio_eco,
    key="date",
    columns=(
        Column("date", values.month_end, "date", required=True),
        Column("employment_variation_rate", values.number, "tx_var_emploi"),
        Column("idx_consumer_price", values.number, "idx_prix_conso"),
        Column("idx_consumer_confidence", values.number, "idx_conf_conso"),
    ),
)

REPORTED_OUTCOMES = Layout(
    table=tables.reported_outcome,
    key="id",
    keyed_by_row_index=True,
    columns=tuple(
        replace(column, required=column.name in ("id", "outcome"))
        for column in _REQUEST_COLUMNS
        if column.name in SCORING_INPUTS | {"id", "outcome"}
    ),
    ignored=tuple(
        column for column in _REQUEST_COLUMNS if column.name in ("duration_contact", "subscription")
    ),
    optional=True,
    title="reported outcomes",
)
"""Outcomes a marketing tool reports, as the bank's export (its leading index is the contact id) or
canonical columns: the contact id and status, with the date and features the contact was scored
with (all of them, or none for a contact reported before: the request's rule)."""
