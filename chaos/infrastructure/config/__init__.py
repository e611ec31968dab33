"""Configuration loading: the YAML file config_template.yml describes, validated into `Settings`."""

from chaos.infrastructure.config.loader import ConfigurationError, configuration_path, load_settings
from chaos.infrastructure.config.settings import Settings

__all__ = ["ConfigurationError", "Settings", "configuration_path", "load_settings"]
