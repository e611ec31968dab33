"""Create socio_eco and marketing, the canonical tables.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "socio_eco",
        sa.Column("date", sa.Date, primary_key=True, comment="last day of the month"),
        sa.Column("employment_variation_rate", sa.Float, nullable=True),
        sa.Column("idx_consumer_price", sa.Float, nullable=True),
        sa.Column("idx_consumer_confidence", sa.Float, nullable=True),
    )
    op.create_table(
        "marketing",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("age", sa.SmallInteger),
        sa.Column("job_type", sa.Text),
        sa.Column("status", sa.Text),
        sa.Column("education", sa.Text),
        sa.Column("has_default", sa.Boolean),
        sa.Column("balance", sa.Integer),
        sa.Column("has_housing_loan", sa.Boolean),
        sa.Column("has_perso_loan", sa.Boolean),
        sa.Column("contact", sa.Text),
        sa.Column("duration_contact", sa.Integer),
        sa.Column("nb_contact", sa.Integer),
        sa.Column("nb_day_last_contact", sa.Integer),
        sa.Column("nb_contact_last_campaign", sa.Integer),
        sa.Column("result_last_campaign", sa.Text),
        sa.Column("outcome", sa.Text),
        sa.Column("subscription", sa.Boolean, nullable=False),
    )
    op.create_index("ix_marketing_date", "marketing", ["date"])


def downgrade() -> None:
    op.drop_index("ix_marketing_date", table_name="marketing")
    op.drop_table("marketing")
    op.drop_table("socio_eco")
