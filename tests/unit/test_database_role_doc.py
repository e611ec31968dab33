"""docs/database-role.md grants the jobs' role the view of exactly the columns the call log reads
(and the contact id the served record is joined by),
and the serving role no contact row at all and write access to the reported outcomes and, append
only, to the served record."""

import importlib.util
import re
from pathlib import Path

from chaos.infrastructure.db import schema
from chaos.infrastructure.db.contact_log import READ_COLUMNS
from chaos.infrastructure.db.tables import contact_outcome

ROLE_DOC = Path(__file__).resolve().parents[2] / "docs" / "database-role.md"


def grants(role: str) -> dict[str, str]:
    """The privileges the documented block grants `role`, by object."""
    found = re.findall(rf"^GRANT (.*) ON (\w+) TO {role};$", ROLE_DOC.read_text(), flags=re.MULTILINE)
    return {name: privileges for privileges, name in found}


def view_columns() -> list[str]:
    """The columns of the `contact_outcome` view as the newest migration defining it selects them."""
    path = schema.MIGRATIONS / "versions" / "0008_served_outcomes_and_calibration_moves.py"
    spec = importlib.util.spec_from_file_location("served_outcomes_migration", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return [name.strip() for name in migration._FIELDS.split(",")] + ["subscription", "id"]


def test_the_view_the_jobs_read_has_exactly_the_columns_the_call_log_and_the_served_join_read():
    assert sorted(view_columns()) == sorted([*READ_COLUMNS, "id"])
    assert [column.name for column in contact_outcome.c] == [*READ_COLUMNS, "id"]


def test_the_jobs_read_the_call_log_through_the_view_only_and_write_their_results():
    assert grants("chaos_calibrator") == {
        "socio_eco": "SELECT",
        "contact_outcome": "SELECT",
        "calibration": "SELECT, INSERT, UPDATE",
        "model_performance": "SELECT, INSERT, UPDATE",
        "served_score": "SELECT, DELETE",
    }


def test_the_serving_role_reads_no_contact_and_writes_reported_outcomes_only():
    assert grants("chaos_reader") == {
        "socio_eco": "SELECT",
        "calibration": "SELECT",
        "model_performance": "SELECT",
        "reported_outcome": "SELECT, INSERT, UPDATE",
        "known_contact": "SELECT",
        "served_score": "INSERT",
    }
