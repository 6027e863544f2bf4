"""The built wheel in a fresh virtual environment, used from outside the repository: one importable name
(`chainrule`), the server with its templates and static files, and the command line.

This is what `pip install chainrule` gives a user; the rest of the suite runs the editable checkout."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # a copy of the sources: an in-tree build/ folder would outlive deleted modules and ship them in later wheels
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "build", "*.egg-info", "__pycache__", "tests",
                                                                "screenshots", ".hypothesis", "node_modules"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out),
                    str(source)], check=True, cwd=out, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
    return next(out.glob("chainrule-*.whl"))


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A venv with none of this machine's packages, the wheel and its declared dependencies installed from the index."""
    home = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(home / "env")], check=True)
    subprocess.run([home / "env/bin/python", "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
                   check=True, cwd=home)
    return home / "env"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def run_in(venv: Path, *args: str, cwd: Path) -> str:
    """Run one of the venv's programs from `cwd`, with nothing of the checkout on its path; return stdout."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(venv / "bin" / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_wheel_installs_one_top_level_name_with_templates_and_static_files(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.startswith("chainrule-")}
    assert tops == {"chainrule"}
    for needed in ("chainrule/app/routes/api.py", "chainrule/engine/ops.py", "chainrule/templates/index.html",
                   "chainrule/static/app.css", "chainrule/static/js/page.js",
                   "chainrule/static/vendor/katex-0.16.22/katex.min.js"):
        assert needed in names
    assert not any(name.startswith(("chainrule/tests", "chainrule/bench")) for name in names)


def test_the_installed_package_imports_from_its_site_packages_not_the_checkout(venv, tmp_path):
    where = run_in(venv, "python", "-c", "import chainrule, chainrule.app.main, chainrule.engine as e; "
                                         "print(chainrule.__file__); print(e.__file__)", cwd=tmp_path)
    assert all("site-packages/chainrule/" in line for line in where.split())


def test_the_installed_command_draws_a_file(venv, tmp_path):
    run_in(venv, "chainrule", "render", "(x+y)*z", "--set", "x=-2", "--set", "y=5", "--set", "z=-4", "-o", "g.svg",
           cwd=tmp_path)
    drawing = (tmp_path / "g.svg").read_text()
    assert drawing.startswith("<svg") or "<svg" in drawing[:500]
    assert "-12" in drawing


def test_the_installed_python_api_draws_and_saves_the_offline_page(venv, tmp_path):
    run_in(venv, "python", "-c", "import chainrule\n"
           "g = chainrule.graph('(x+y)*z', x=-2, y=5, z=-4)\n"
           "assert g.value == -12 and g.grads == {'x': -4, 'y': -4, 'z': 3}, g.grads\n"
           "g.save('g.html'); g.step(2).save('g.svg')", cwd=tmp_path)
    page = (tmp_path / "g.html").read_text()
    assert "<svg" in page and "katex" in page.lower()      # the drawing and the typesetting, inline
    assert "<svg" in (tmp_path / "g.svg").read_text()


def test_the_installed_server_answers_the_page_its_static_files_and_the_api(venv, tmp_path):
    port = free_port()
    server = subprocess.Popen([str(venv / "bin/chainrule"), "serve", "--port", str(port)], cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while get(port, "/healthz")[0] != 200:
            assert server.poll() is None and time.monotonic() < deadline, "chainrule serve did not start"
            time.sleep(0.2)
        query = urllib.parse.urlencode({"expr": "(x+y)*z", "x": -2, "y": 5, "z": -4})
        for path, needle in ((f"/?{query}", b"<svg"), ("/static/app.css", b"{"), ("/static/js/page.js", b"import"),
                             (f"/graph.html?{query}", b"<svg"),
                             (f"/api/graph?{query}", b'"value": -12'), (f"/graph.svg?{query}", b"<svg"),
                             (f"/graph.png?{query}", b"\x89PNG")):
            status, body = get(port, path)
            assert status == 200, (path, body[:300])
            assert needle in body.replace(b'"value":-12', b'"value": -12'), path
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)

