"""`.env.example` documents every setting that settings.py reads, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "src" / "maatwerk" / "web" / "config" / "settings.py"
NAME = re.compile(r'"((?:MAATWERK_[A-Z_]+)|DATABASE_URL)"')


def test_env_example_lists_every_setting() -> None:
    read = set(NAME.findall(SETTINGS.read_text(encoding="utf-8")))
    documented = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert read, "no settings found: did settings.py change its helper names?"
    assert read - documented == set(), "add these to .env.example"
    assert documented - read == set(), "these are in .env.example but not read anywhere"
