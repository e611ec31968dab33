"""Synthetic demo data shaped like the bank's real export, for a fresh clone without real data."""
