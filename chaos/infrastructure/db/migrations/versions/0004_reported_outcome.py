"""Keep the outcomes marketing tools report, contact by contact, in a table of their own, and read
every known outcome through one view that applies the reconciliation rule (docs/data.md).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_STATUSES = ("Souscrit", "Refus", "Absent", "Suppression", "En Attente")
"""The bank's five statuses as this revision knows them (a migration does not follow later code)."""
_FIELDS = (
    "date, age, job_type, status, education, has_default, has_housing_loan, has_perso_loan, balance, "
    "contact, nb_contact, nb_day_last_contact, nb_contact_last_campaign, result_last_campaign"
)
CONTACT_OUTCOME = f"""
CREATE VIEW contact_outcome AS
SELECT {_FIELDS}, subscription
FROM marketing
WHERE NOT EXISTS (
    SELECT 1 FROM reported_outcome
    WHERE reported_outcome.id = marketing.id AND reported_outcome.outcome <> 'En Attente'
)
UNION ALL
SELECT {_FIELDS}, outcome = 'Souscrit' AS subscription
FROM reported_outcome
WHERE outcome <> 'En Attente'
"""
"""The call log with its outcomes: the export's rows, except those a resolved report supersedes, and
the resolved reports. A view runs with its owner's rights, so the serving role reads it without
reading `marketing` itself."""


def upgrade() -> None:
    op.create_table(
        "reported_outcome",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False, comment="the contact's id"),
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
        sa.Column("nb_contact", sa.Integer),
        sa.Column("nb_day_last_contact", sa.Integer),
        sa.Column("nb_contact_last_campaign", sa.Integer),
        sa.Column("result_last_campaign", sa.Text),
        sa.Column("outcome", sa.Text, nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint(
            "outcome IN (" + ", ".join(f"'{status}'" for status in _STATUSES) + ")",
            name="ck_reported_outcome_outcome",
        ),
    )
    op.create_index("ix_reported_outcome_date", "reported_outcome", ["date"])
    op.execute(CONTACT_OUTCOME)


def downgrade() -> None:
    op.execute("DROP VIEW contact_outcome")
    op.drop_index("ix_reported_outcome_date", table_name="reported_outcome")
    op.drop_table("reported_outcome")
