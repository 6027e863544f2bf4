"""A small class at once, in CI: bench/load.py with 30 clients against `chainrule serve` as it starts by default."""

import importlib.util
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

LOAD = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def test_thirty_clients_open_the_link_and_change_a_value_without_an_error(capsys):
    spec = importlib.util.spec_from_file_location("bench_load", LOAD)
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    with ThreadPoolExecutor(1) as thread:  # its own event loop: Playwright's sync API may hold this thread's
        status = thread.submit(load.main, ["--clients", "30", "--window", "2"]).result()
    report = capsys.readouterr().out
    assert status == 0, report
    assert "open link" in report and "change value" in report and "errors   0" in report
