from pathlib import Path

import pytest
import yaml

from chaos.infrastructure.config import ConfigurationError, Settings, configuration_path, load_settings
from chaos.infrastructure.models.signing import public_text
from harness.publisher import PUBLISHER

TEMPLATE = Path(__file__).resolve().parents[2] / "config_template.yml"


def test_template_is_a_valid_configuration_equal_to_the_defaults():
    assert load_settings(TEMPLATE) == Settings()


def test_template_documents_every_key():
    def keys(model, prefix=""):
        for name, field in type(model).model_fields.items():
            key = field.alias or name
            value = getattr(model, name)
            if hasattr(type(value), "model_fields"):
                yield from keys(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}"

    def document_keys(node, prefix=""):
        for key, value in node.items():
            if isinstance(value, dict):
                yield from document_keys(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}"

    template = yaml.safe_load(TEMPLATE.read_text())
    assert set(document_keys(template)) == set(keys(Settings()))


def test_environment_variable_order(tmp_path):
    first, second = tmp_path / "a.yml", tmp_path / "b.yml"
    first.write_text("{}")
    second.write_text("{}")
    assert (
        configuration_path(
            {"CHAOS_CONFIGURATION_PATH": str(first), "YOTTA_ML3_CONFIGURATION_PATH": str(second)}
        )
        == first
    )
    assert configuration_path({"YOTTA_ML3_CONFIGURATION_PATH": str(second)}) == second


def test_invalid_yaml_is_located_without_quoting_the_file(tmp_path):
    """The file holds passwords, and the message may reach a log (api.keys is re-read while serving)."""
    path = tmp_path / "config.yml"
    path.write_text('database:\n  password: "s3cret-value\n  user: chaos\n')  # pragma: allowlist secret
    with pytest.raises(
        ConfigurationError, match=r"config\.yml: invalid YAML: .*\(line \d+, column \d+\)"
    ) as error:
        load_settings(path)
    assert "s3cret-value" not in str(error.value)


def test_missing_file_named_by_variable_fails_naming_it(tmp_path):
    missing = tmp_path / "nope.yml"
    with pytest.raises(ConfigurationError, match=r"nope\.yml.*CHAOS_CONFIGURATION_PATH"):
        load_settings(environ={"CHAOS_CONFIGURATION_PATH": str(missing)})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("database: [unclosed", "invalid YAML"),
        ("- a list", "top level must be a mapping"),
        ("database:\n  prot: 5432\n", "key 'database.prot': unknown key"),
        ("database:\n  port: seventy\n", "key 'database.port'"),
        ("socio_eco:\n  cache_ttl_seconds: -1\n", "key 'socio_eco.cache_ttl_seconds'"),
        ("import:\n  max_reject_ratio: 2\n", "key 'import.max_reject_ratio'"),
        (
            "calibration:\n  reporting_lag_days: -1\n",
            "key 'calibration.reporting_lag_days': must be 0 or more",
        ),
        ("calibration:\n  windows_days: []\n", "key 'calibration.windows_days': needs at least one window"),
        ("calibration:\n  min_contacts: 0\n", "key 'calibration.min_contacts': must be 1 or more"),
        ("calibration:\n  slope_window_days: -1\n", "key 'calibration.slope_window_days': must be 0"),
        (
            "calibration:\n  reporting_lag_days: 30\n",
            "key 'calibration.max_age_days': must exceed the reporting lag (30 days), got 14",
        ),
    ],
)
def test_invalid_configuration_names_file_and_key(tmp_path, text, message):
    path = tmp_path / "config.yml"
    path.write_text(text)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)


def test_every_unusable_calibration_value_is_named_on_one_line(tmp_path):
    path = tmp_path / "config.yml"
    path.write_text("calibration:\n  reporting_lag_days: -1\n  windows_days: [28, 7]\n  min_contacts: 0\n")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert "\n" not in message
    for key in ("reporting_lag_days", "windows_days", "min_contacts"):
        assert f"key 'calibration.{key}'" in message


def test_settings_are_frozen():
    with pytest.raises(ValueError):
        Settings().database.port = 1


def test_password_is_url_quoted_and_hidden():
    settings = Settings.model_validate(
        {
            "database": {"embedded": False, "password": "p@ss:/w"},
            "api": {"keys": []},
            "model": {"public_keys": [public_text(PUBLISHER)]},
        }
    )
    assert "p%40ss%3A%2Fw" in settings.database.url()
    assert "p@ss" not in repr(settings)
