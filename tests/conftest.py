"""The suites' fixtures live in tests/support, loaded here as plugins so every suite sees them and no
test imports a conftest."""

pytest_plugins = [
    "tests.support.database",
    "tests.support.served",
    "tests.support.installs",
    "tests.support.resilience",
    "tests.e2e.target",
    "tests.support.gcs",
    "tests.support.checkout",
    "tests.support.threads",
    "tests.support.summaries",
    "tests.support.full_disk",
]
