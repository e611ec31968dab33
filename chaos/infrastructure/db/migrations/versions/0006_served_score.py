"""Keep every score served with the caller's contact id: the served record.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "served_score",
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
    )
    op.create_index("ix_served_score_contact", "served_score", ["contact_id", "contact_date"])
    op.create_index("ix_served_score_served_at", "served_score", ["served_at"])


def downgrade() -> None:
    op.drop_table("served_score")
