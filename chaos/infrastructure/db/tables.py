"""SQLAlchemy Core view of the canonical tables; Alembic migrations create them."""

import sqlalchemy as sa

from chaos.domain.features import CUSTOMER_FEATURES, TARGET
from chaos.domain.outcome import Outcome

metadata = sa.MetaData()

DEMO = "demo"
"""The marker column of demo rows in socio_eco and marketing; not part of the data itself."""
REPORTED_AT = "reported_at"
"""When a reported outcome was last written."""
KEY_ID = "key_id"
"""The id of the API key that last wrote a reported outcome (NULL: written before keys were kept)."""


def _demo_marker() -> sa.Column:
    return sa.Column(
        DEMO,
        sa.Boolean,
        nullable=False,
        server_default=sa.false(),
        comment="true for synthetic rows written by chaos db seed-demo",
    )


def _customer() -> list[sa.Column]:
    """Who the customer is, as a contact row records it (fresh Column objects for each table)."""
    return [
        sa.Column("age", sa.SmallInteger),
        sa.Column("job_type", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("education", sa.Text),
        sa.Column("has_default", sa.Boolean),
        sa.Column("balance", sa.Integer),
        sa.Column("has_housing_loan", sa.Boolean),
        sa.Column("has_perso_loan", sa.Boolean),
        sa.Column("contact", sa.Text),
    ]


def _history() -> list[sa.Column]:
    """The customer's contacts so far, in this campaign and the previous one."""
    return [
        sa.Column("nb_contact", sa.Integer),
        sa.Column("nb_day_last_contact", sa.Integer),
        sa.Column("nb_contact_last_campaign", sa.Integer),
        sa.Column("result_last_campaign", sa.Text),
    ]


SUBSCRIPTION_COMMENT = "the label: null while the outcome is pending (unknown, not a no)"

socio_eco = sa.Table(
    "socio_eco",
    metadata,
    sa.Column("date", sa.Date, primary_key=True, comment="last day of the month"),
    sa.Column("employment_variation_rate", sa.Float, nullable=True),
    sa.Column("idx_consumer_price", sa.Float, nullable=True),
    sa.Column("idx_consumer_confidence", sa.Float, nullable=True),
    _demo_marker(),
)

marketing = sa.Table(
    "marketing",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("date", sa.Date, nullable=False),
    *_customer(),
    sa.Column("duration_contact", sa.Integer),
    *_history(),
    sa.Column("outcome", sa.Text),
    sa.Column("subscription", sa.Boolean, comment=SUBSCRIPTION_COMMENT),
    _demo_marker(),
    sa.Index("ix_marketing_date", "date"),  # training reads contacts in date order
)

calibration = sa.Table(
    "calibration",
    metadata,
    sa.Column("model_version", sa.Text, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True, comment="the contact day it serves"),
    sa.Column("shift", sa.Float, nullable=False),
    sa.Column("window_days", sa.Integer),
    sa.Column("since", sa.Date),
    sa.Column("until", sa.Date),
    sa.Column("contacts", sa.Integer, nullable=False),
    sa.Column("observed_rate", sa.Float),
    sa.Column("newest_outcome", sa.Date),
    sa.Column("stale", sa.Boolean, nullable=False),
    sa.Column("slope", sa.Float, nullable=False),
    sa.Column("offset", sa.Float, nullable=False),
    sa.Column("policy", sa.JSON, nullable=False, comment="lag, windows, minimum and age limit used"),
    sa.Column("slope_source", sa.Text, comment="served or model: what the slope was fitted on"),
    sa.Column("moved", sa.Boolean, comment="moved beyond its history; null: too little"),
    sa.CheckConstraint("slope_source IN ('served', 'model')", name="ck_calibration_slope_source"),
    sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)
"""One calibration per (model version, contact day), written by `chaos calibrate`, read by the pods."""

import_history = sa.Table(
    "import_history",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("table_name", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("file_name", sa.Text),
    sa.Column("sha256", sa.Text),
    sa.Column("rows_new", sa.Integer, nullable=False),
    sa.Column("rows_changed", sa.Integer, nullable=False),
    sa.Column("rows_unchanged", sa.Integer, nullable=False),
    sa.Column("rows_removed", sa.Integer, nullable=False),
    sa.Column("rows_rejected", sa.Integer, nullable=False),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("chaos_version", sa.Text, nullable=False),
    sa.CheckConstraint("kind IN ('import', 'demo', 'demo-removal')", name="ck_import_history_kind"),
    sa.CheckConstraint("mode IN ('replace', 'append')", name="ck_import_history_mode"),
)
"""One row per table written by `chaos db import` or `chaos db seed-demo`: the data's lineage."""


reported_outcome = sa.Table(
    "reported_outcome",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False, comment="the contact's id"),
    sa.Column("date", sa.Date, nullable=False),
    *_customer(),
    *_history(),
    sa.Column("outcome", sa.Text, nullable=False),
    sa.Column(REPORTED_AT, sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column(KEY_ID, sa.Text, comment="the API key's id, never the key; NULL before it was kept"),
    sa.CheckConstraint(
        "outcome IN (" + ", ".join(f"'{outcome.value}'" for outcome in Outcome) + ")",
        name="ck_reported_outcome_outcome",
    ),
    sa.Index("ix_reported_outcome_date", "date"),
    sa.Index("ix_reported_outcome_key_id", KEY_ID, REPORTED_AT),  # a key's volume of the day
)
"""Outcomes reported by marketing tools (POST /outcomes), with the contact's fields as scored; an
import of the bank's export never writes here (docs/data.md, "Reported outcomes")."""


model_performance = sa.Table(
    "model_performance",
    metadata,
    sa.Column("model_version", sa.Text, primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("contacts", sa.Integer, nullable=False),
    sa.Column("observed_rate", sa.Float, nullable=False),
    sa.Column("mean_prediction", sa.Float, nullable=False),
    sa.Column("brier", sa.Float, nullable=False),
    sa.Column("brier_constant", sa.Float, nullable=False),
    sa.Column("brier_skill", sa.Float),
    sa.Column("calibration_in_the_large", sa.Float, nullable=False),
    sa.Column("calibration_slope", sa.Float),
    sa.Column("roc_auc", sa.Float),
    sa.Column("within_day_auc", sa.Float),
    sa.Column(
        "source",
        sa.Text,
        nullable=False,
        server_default="rescored",
        comment="served: the served record; rescored: the call log scored as served",
    ),
    sa.CheckConstraint("source IN ('served', 'rescored')", name="ck_model_performance_source"),
    sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
)
"""The served model's performance per (model version, day), written by `chaos monitor`."""

served_score = sa.Table(
    "served_score",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column("contact_id", sa.BigInteger, nullable=False, comment="the caller's contact id"),
    sa.Column("contact_date", sa.Date, nullable=False),
    sa.Column("model_version", sa.Text, nullable=False),
    sa.Column("calibration_until", sa.Date, comment="last day of the calibration's window"),
    sa.Column("calibration_window_days", sa.Integer),
    sa.Column("calibration_shift", sa.Float, nullable=False),
    sa.Column("calibration_slope", sa.Float, nullable=False),
    sa.Column("calibration_offset", sa.Float, nullable=False),
    sa.Column("calibration_stale", sa.Boolean, nullable=False),
    sa.Column("log_odds", sa.Float, nullable=False, comment="the model's, before calibration"),
    sa.Column("probability", sa.Float, nullable=False, comment="the appetence answered"),
    sa.Column("key_id", sa.Text, comment="the API key's id, never the key"),
    sa.Column("served_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_served_score_contact", "contact_id", "contact_date"),
    sa.Index("ix_served_score_served_at", "served_at"),
    implicit_returning=False,  # the pods may insert, never read: no RETURNING of the new ids
)
"""Every score served with the caller's contact id (append-only; `chaos served purge` removes the
rows older than `served.retention_days`)."""

contact_outcome = sa.table(
    "contact_outcome",
    sa.column("date", sa.Date),
    *(sa.column(name) for name in (*CUSTOMER_FEATURES, TARGET)),
    sa.column("id", sa.BigInteger),
)
"""A view, not a table (outside `metadata`): the export's rows and the resolved reports reconciled
(docs/data.md, "Reported outcomes"); a pending export row keeps its NULL `subscription`, which the
call log skips. What `chaos calibrate` and `chaos monitor` read; `id`, the contact's, joins the
served record to its outcome."""


known_contact = sa.table("known_contact", sa.column("id", sa.BigInteger))
"""A view (outside `metadata`): the ids of the contacts scored with their id (`served_score`) or
imported (`marketing`), readable by the pods, which read neither table."""


def data_columns(table: sa.Table) -> list[str]:
    """The columns a file, a generator or a report provides: all but those the database fills (the
    demo marker, the time of a report) and the reporting key, which comes with the request."""
    return [column.name for column in table.c if column.name not in (DEMO, REPORTED_AT, KEY_ID)]
