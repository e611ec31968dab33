"""Install path for chaos: `pip install .` (the Docker image) or `pip install -e .` (development)."""

from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def _requirements() -> list[str]:
    lines = (HERE / "requirements.txt").read_text().splitlines()
    return [line for line in lines if line and not line.startswith("#")]


setup(
    name="chaos",
    version="0.1.0",
    description="Appetence scoring service for term-deposit telephone campaigns",
    python_requires=">=3.11",
    packages=find_packages(include=["chaos", "chaos.*"]),
    include_package_data=True,
    package_data={
        "chaos": ["**/*.ini", "**/*.mako", "**/*.yml", "**/*.json", "**/*.js", "**/*.css", "**/*.html"]
    },
    install_requires=_requirements(),
    entry_points={"console_scripts": ["chaos=chaos.application.cli:main"]},
)
