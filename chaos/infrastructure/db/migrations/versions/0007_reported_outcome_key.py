"""Name the API key that reported each outcome, and let the pods ask which contacts chaos knows.

Rows reported before this revision keep a NULL `key_id`: which key sent them was never recorded, and
no string can stand for "unknown" without possibly being a configured key's id (an id may be any
short name), so NULL is the only value that cannot be mistaken for a key.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

KNOWN_CONTACT = """
CREATE VIEW known_contact AS
SELECT contact_id AS id FROM served_score
UNION ALL
SELECT id FROM marketing
"""
"""The ids of the contacts chaos scored (the served record) or imported (the export's call log), and
nothing else of either: a view runs with its owner's rights, so the pods, which may not read
`served_score` or `marketing`, can ask whether a reported contact is one of them."""


def upgrade() -> None:
    op.add_column(
        "reported_outcome",
        sa.Column("key_id", sa.Text, comment="the API key's id, never the key; NULL before it was kept"),
    )
    op.create_index("ix_reported_outcome_key_id", "reported_outcome", ["key_id", "reported_at"])
    op.execute(KNOWN_CONTACT)


def downgrade() -> None:
    op.execute("DROP VIEW known_contact")
    op.drop_index("ix_reported_outcome_key_id", table_name="reported_outcome")
    op.drop_column("reported_outcome", "key_id")
