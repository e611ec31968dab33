"""Finds and reads the YAML configuration (structure: config_template.yml) into `Settings`.

Resolution order: $CHAOS_CONFIGURATION_PATH, the starter kit's $YOTTA_ML3_CONFIGURATION_PATH,
chaos/infrastructure/config/config.yml, and finally the built-in demo defaults (embedded
PostgreSQL) so that a fresh clone runs with no file at all. A path named by a variable must exist.
"""

import os
from collections.abc import Mapping
from pathlib import Path

import yaml
from pydantic import ValidationError

from chaos.infrastructure.config.settings import Settings

ENV_VARS = ("CHAOS_CONFIGURATION_PATH", "YOTTA_ML3_CONFIGURATION_PATH")
PACKAGE_CONFIG = Path(__file__).with_name("config.yml")


class ConfigurationError(Exception):
    """The configuration cannot be used; the message names the file and the key."""


def configuration_path(environ: Mapping[str, str] | None = None) -> Path | None:
    """The file to read, or None for the built-in defaults."""
    variables = os.environ if environ is None else environ
    for name in ENV_VARS:
        value = variables.get(name)
        if value:
            path = Path(value)
            if not path.is_file():
                raise ConfigurationError(f"{path}: configuration file not found (named by ${name})")
            return path
    return PACKAGE_CONFIG if PACKAGE_CONFIG.is_file() else None


def load_settings(path: Path | None = None, environ: dict[str, str] | None = None) -> Settings:
    """Read and validate the configuration; `path` overrides the resolution order."""
    path = path or configuration_path(environ)
    if path is None:
        return Settings()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ConfigurationError(f"{path}: cannot read configuration: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise ConfigurationError(f"{path}: invalid YAML: {_where(error)}") from error
    if document is None:
        document = {}
    if not isinstance(document, dict):
        raise ConfigurationError(f"{path}: the top level must be a mapping of sections")
    try:
        return Settings.model_validate(document)
    except ValidationError as error:
        raise ConfigurationError(f"{path}: {_describe(error)}") from error


def _where(error: yaml.YAMLError) -> str:
    """What is wrong and where, without quoting the file: its lines hold passwords (PyYAML's own
    message shows the line around the mark), and the message goes to logs."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or "unreadable"
    return problem if mark is None else f"{problem} (line {mark.line + 1}, column {mark.column + 1})"


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"])
        message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
        problems.append(f"key '{key}': {message}" if key else message)  # whole-file rules name their keys
    return "; ".join(problems)
