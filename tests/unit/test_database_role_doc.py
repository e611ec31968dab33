"""docs/database-role.md grants the calibration job exactly the columns of `marketing` it reads."""

import re
from pathlib import Path

from chaos.infrastructure.db.contact_log import READ_COLUMNS

ROLE_DOC = Path(__file__).resolve().parents[2] / "docs" / "database-role.md"


def test_the_documented_grant_is_the_columns_the_call_log_reads():
    (columns,) = re.findall(
        r"GRANT SELECT \(([^)]*)\) ON marketing TO chaos_calibrator", ROLE_DOC.read_text()
    )
    assert sorted(name.strip() for name in columns.split(",")) == sorted(READ_COLUMNS)
