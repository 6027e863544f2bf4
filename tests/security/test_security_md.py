"""SECURITY.md's limits are the code's: every number in its table is read back from engine.LIMITS and Settings."""

import re
from dataclasses import fields
from pathlib import Path

import engine
from app.config import Settings

SECURITY_MD = Path(__file__).resolve().parents[2] / "SECURITY.md"
ROW = re.compile(r"^\| `([^`]+)` \| ([\d,.]+) \|", re.M)
UNDOCUMENTED = {'LIMITS["default_value"]', "Settings.public_url"}  # not limits


def in_code() -> dict[str, float]:
    limits = {f'LIMITS["{name}"]': value for name, value in engine.LIMITS.items()}
    settings = {f"Settings.{option.name}": option.default for option in fields(Settings)}
    return {**limits, **settings}


def test_every_number_in_security_md_is_the_code_s():
    rows = ROW.findall(SECURITY_MD.read_text())
    code = in_code()
    assert rows
    for name, number in rows:
        assert name in code, f"SECURITY.md names {name}, which the code does not have"
        assert float(number.replace(",", "")) == code[name], f"SECURITY.md says {name} is {number}; the code says {code[name]}"


def test_every_limit_in_the_code_is_in_security_md():
    documented = {name for name, _ in ROW.findall(SECURITY_MD.read_text())}
    missing = set(in_code()) - documented - UNDOCUMENTED
    assert not missing, f"add to SECURITY.md's table: {sorted(missing)}"
