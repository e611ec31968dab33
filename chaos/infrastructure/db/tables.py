"""SQLAlchemy Core view of the canonical tables; Alembic migrations create them."""

import sqlalchemy as sa

metadata = sa.MetaData()

socio_eco = sa.Table(
    "socio_eco",
    metadata,
    sa.Column("date", sa.Date, primary_key=True, comment="last day of the month"),
    sa.Column("employment_variation_rate", sa.Float, nullable=True),
    sa.Column("idx_consumer_price", sa.Float, nullable=True),
    sa.Column("idx_consumer_confidence", sa.Float, nullable=True),
)

marketing = sa.Table(
    "marketing",
    metadata,
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
    sa.Index("ix_marketing_date", "date"),  # training reads contacts in date order
)
