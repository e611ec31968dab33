"""For tools and habits that look for setup.py: the metadata lives in pyproject.toml, nowhere else.
`python setup.py --version` prints the version; `pip install .` is the way to install."""

from setuptools import setup

setup()
