"""Pending outcomes are unknown, and calibrations are computed once and stored.

`marketing.subscription` becomes NULL for pending calls (`En Attente`): they were stored as "not
subscribed", which they are not yet. The `calibration` table holds what `chaos calibrate` computes
for each servable model and contact day, so that serving reads one row instead of the call log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_PENDING = "En Attente"
_SUBSCRIPTION_COMMENT = "the label: null while the outcome is pending (unknown, not a no)"


def upgrade() -> None:
    op.alter_column("marketing", "subscription", nullable=True, comment=_SUBSCRIPTION_COMMENT)
    op.execute(
        sa.text("UPDATE marketing SET subscription = NULL WHERE outcome = :pending").bindparams(
            pending=_PENDING
        )
    )
    op.create_table(
        "calibration",
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
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("calibration")
    op.execute(sa.text("UPDATE marketing SET subscription = false WHERE subscription IS NULL"))
    op.alter_column("marketing", "subscription", nullable=False, comment=None)
