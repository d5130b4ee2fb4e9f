"""Shared fixtures. Tests that need ../shared skip cleanly where it is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_b0cb75f7e6145c6c.txt"
DATA = SHARED / "data"
EXAMPLE = ROOT / "src" / "narrascope" / "examples" / "example_article.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared/seed is absent")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_doc(seed_text):
    """The seed article through the full default pipeline (analysed once per session)."""
    import narrascope

    return narrascope.analyze(seed_text)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA.exists():
        pytest.skip("../shared/data is absent")
    return DATA
