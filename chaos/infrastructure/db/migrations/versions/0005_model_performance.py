"""Keep the served model's performance per model version and day, as `chaos monitor` measures it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_performance",
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
        sa.Column("measured_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    )


def downgrade() -> None:
    op.drop_table("model_performance")
