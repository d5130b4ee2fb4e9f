"""User narrative catalogues (TOML); ``example.toml`` is the shipped example."""

from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent / "example.toml"
