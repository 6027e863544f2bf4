"""SECURITY.md's limits are the code's: every number in its tables is read back from engine.LIMITS, Settings,
the compute pool and the budgets the security tests hold requests to; every limit in the code is in a table."""

import re
from dataclasses import fields
from pathlib import Path

from chainrule import engine
import test_responsiveness
import test_search
from chainrule.app import pool
from chainrule.app.config import Settings

SECURITY_MD = Path(__file__).resolve().parents[2] / "SECURITY.md"
ROW = re.compile(r"^\| `([^`]+)` \| ([\d,.]+) \|", re.M)
MENTION = re.compile(r"\*\*`([^`]+)` = ([\d,.]+)\*\*")
UNDOCUMENTED = {'LIMITS["default_value"]', "Settings.public_url"}  # not limits


def in_code() -> dict[str, float]:
    limits = {f'LIMITS["{name}"]': value for name, value in engine.LIMITS.items()}
    settings = {f"Settings.{option.name}": option.default for option in fields(Settings)}
    bounds = {"pool.POLL_S": pool.POLL_S,
              "search.BUDGET_CPU_S": test_search.BUDGET_CPU_S, "search.BUDGET_BYTES": test_search.BUDGET_BYTES,
              "responsiveness.PROBE_S": test_responsiveness.PROBE_S}
    return {**limits, **settings, **bounds}


def number(text: str) -> float:
    return float(text.replace(",", ""))


def test_every_number_in_security_md_is_the_code_s():
    text = SECURITY_MD.read_text()
    rows = ROW.findall(text) + MENTION.findall(text)
    code = in_code()
    assert len(rows) >= len(code) - len(UNDOCUMENTED)
    for name, written in rows:
        assert name in code, f"SECURITY.md names {name}, which the code does not have"
        assert number(written) == code[name], f"SECURITY.md says {name} is {written}; the code says {code[name]}"


def test_every_limit_in_the_code_is_in_security_md():
    documented = {name for name, _ in ROW.findall(SECURITY_MD.read_text())}
    missing = set(in_code()) - documented - UNDOCUMENTED
    assert not missing, f"add to SECURITY.md's tables: {sorted(missing)}"


def test_the_sizes_said_in_words_are_the_bytes_in_the_table():
    text = SECURITY_MD.read_text()
    for name, words in (("cache_bytes", "64 MB"), ("cache_max_answer_bytes", "2 MB"),
                        ("max_pending_head_bytes", "16 MB"), ("max_answer_bytes", "8 MB")):
        row = next(line for line in text.splitlines() if line.startswith(f"| `Settings.{name}`"))
        assert f"({words}" in row and getattr(Settings, name) == int(words.split()[0]) << 20, row
