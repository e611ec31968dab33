"""Record every import (lineage) and mark demo rows, so that demo and real data never mix.

Rows present before this revision are marked as not demo: whoever upgrades a database that was
demo-seeded by an older version re-seeds it with `chaos db seed-demo --force`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_DEMO_COMMENT = "true for synthetic rows written by chaos db seed-demo"


def upgrade() -> None:
    for table in ("socio_eco", "marketing"):
        op.add_column(
            table,
            sa.Column("demo", sa.Boolean, nullable=False, server_default=sa.false(), comment=_DEMO_COMMENT),
        )
    op.create_table(
        "import_history",
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


def downgrade() -> None:
    op.drop_table("import_history")
    for table in ("marketing", "socio_eco"):
        op.drop_column(table, "demo")
