"""The version of chaos, as the installed distribution records it (the packaging metadata is its
one source), for `chaos --version` and the OpenAPI document."""

from importlib.metadata import PackageNotFoundError, version


def installed_version() -> str:
    """ "0" when chaos runs from sources that were never installed (no metadata to read)."""
    try:
        return version("chaos")
    except PackageNotFoundError:
        return "0"
