"""The README's notebook example runs as written and prints the numbers it promises."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readmes_notebook_example_runs_and_gives_the_neurons_numbers(tmp_path):
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## In a notebook"):]
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    assert len(example.strip().splitlines()) == 5
    done = subprocess.run([sys.executable, "-c", example], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("0.731") and "'w0': -0.196" in done.stdout
    assert (tmp_path / "step3.svg").read_bytes().startswith(b"<?xml")
    assert (tmp_path / "neuron.html").read_text().lower().lstrip().startswith("<!doctype html")
