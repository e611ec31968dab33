"""docs/database-role.md grants the serving role the view of exactly the columns serving reads, and
write access to the reported outcomes only."""

import importlib.util
import re
from pathlib import Path

from chaos.infrastructure.db import schema
from chaos.infrastructure.db.contact_log import READ_COLUMNS

ROLE_DOC = Path(__file__).resolve().parents[2] / "docs" / "database-role.md"
GRANTS = re.findall(r"^GRANT (.*) ON (\w+) TO chaos_reader;$", ROLE_DOC.read_text(), flags=re.MULTILINE)


def view_columns() -> list[str]:
    """The columns of the `contact_outcome` view as the migration creating it selects them."""
    path = schema.MIGRATIONS / "versions" / "0004_reported_outcome.py"
    spec = importlib.util.spec_from_file_location("reported_outcome_migration", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return [name.strip() for name in migration._FIELDS.split(",")] + ["subscription"]


def test_the_view_the_role_reads_has_exactly_the_columns_the_call_log_reads():
    assert sorted(view_columns()) == sorted(READ_COLUMNS)
    assert ("SELECT", "contact_outcome") in GRANTS


def test_the_role_writes_reported_outcomes_only_and_reads_no_marketing_column():
    objects = {name: privileges for privileges, name in GRANTS}
    assert objects == {
        "socio_eco": "SELECT",
        "contact_outcome": "SELECT",
        "model_performance": "SELECT",
        "reported_outcome": "SELECT, INSERT, UPDATE",
    }
