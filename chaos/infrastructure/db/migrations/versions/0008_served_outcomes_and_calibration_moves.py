"""Measure and fit on the served record: the call log's view names each contact's id (the served
record is joined to the outcomes by it), a stored calibration says what its slope was fitted on and
whether it moved beyond its history, and a day's measured figures say what they were computed from.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_FIELDS = (
    "date, age, job_type, status, education, has_default, has_housing_loan, has_perso_loan, balance, "
    "contact, nb_contact, nb_day_last_contact, nb_contact_last_campaign, result_last_campaign"
)
"""The view's columns as revision 0004 created them (a migration does not follow later code)."""
_RECONCILED = """
FROM marketing
WHERE NOT EXISTS (
    SELECT 1 FROM reported_outcome
    WHERE reported_outcome.id = marketing.id AND reported_outcome.outcome <> 'En Attente'
)
UNION ALL
SELECT {fields}, outcome = 'Souscrit' AS subscription{id}
FROM reported_outcome
WHERE outcome <> 'En Attente'
"""


def _view(with_id: bool) -> str:
    """The call log with its outcomes (revision 0004's rule), its contacts' ids last if `with_id`:
    a view may gain columns at its end in place, never lose one."""
    id_column = ", id" if with_id else ""
    body = _RECONCILED.format(fields=_FIELDS, id=id_column)
    return f"CREATE OR REPLACE VIEW contact_outcome AS SELECT {_FIELDS}, subscription{id_column}\n{body}"


def upgrade() -> None:
    op.execute(_view(with_id=True))
    op.add_column(
        "calibration",
        sa.Column("slope_source", sa.Text, comment="served or model: what the slope was fitted on"),
    )
    op.add_column(
        "calibration", sa.Column("moved", sa.Boolean, comment="moved beyond its history; null: too little")
    )
    op.create_check_constraint(
        "ck_calibration_slope_source", "calibration", "slope_source IN ('served', 'model')"
    )
    op.add_column(
        "model_performance",
        sa.Column(
            "source",
            sa.Text,
            nullable=False,
            server_default="rescored",
            comment="served: the served record; rescored: the call log scored as served",
        ),
    )
    op.create_check_constraint(
        "ck_model_performance_source", "model_performance", "source IN ('served', 'rescored')"
    )


def downgrade() -> None:
    op.drop_constraint("ck_model_performance_source", "model_performance")
    op.drop_column("model_performance", "source")
    op.drop_constraint("ck_calibration_slope_source", "calibration")
    op.drop_column("calibration", "moved")
    op.drop_column("calibration", "slope_source")
    op.execute("DROP VIEW contact_outcome")
    op.execute(_view(with_id=False))
