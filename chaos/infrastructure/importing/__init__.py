"""CSV import of the bank's exports into the canonical tables (db/tables.py)."""

from chaos.infrastructure.importing.importer import ImportReport, import_csv, import_files
from chaos.infrastructure.importing.layouts import MARKETING, SOCIO_ECO
from chaos.infrastructure.importing.source import ImportFileError

__all__ = ["MARKETING", "SOCIO_ECO", "ImportFileError", "ImportReport", "import_csv", "import_files"]
