"""The outside programs a drawing needs (Graphviz's dot, librsvg's rsvg-convert), run under a CPU-time
limit, and the media type of every format chainrule writes.

A tool's limit is CPU seconds set on the child process (RLIMIT_CPU, the kernel stops it), so a busy
machine makes a drawing slower, never refused; a generous wall-clock backstop only catches a child
that stopped using the CPU altogether.
"""
from __future__ import annotations

import resource
import shutil
import signal
import subprocess

from .errors import LimitError

TOOL_CPU_S = 4            # CPU seconds one run of dot or rsvg-convert may use
BACKSTOP_S = 120          # wall-clock seconds after which a child that is not computing is ended
MEDIA_TYPES = {
    "svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf",
    "dot": "text/vnd.graphviz; charset=utf-8", "tex": "application/x-tex; charset=utf-8",
    "zip": "application/zip", "gif": "image/gif", "html": "text/html; charset=utf-8",
    "json": "application/json",
}
INSTALL = {"dot": "apt-get install graphviz", "rsvg-convert": "apt-get install librsvg2-bin"}


def run_tool(args: list[str], data: bytes, cpu_s: float = TOOL_CPU_S) -> bytes:
    """Returns what `args` (a tool and its arguments) writes for `data` on its standard input.

    Raises LimitError when the tool uses more than `cpu_s` seconds of CPU, RuntimeError when it is
    missing or fails.
    """
    binary = shutil.which(args[0])
    if binary is None:
        raise RuntimeError(f"{args[0]} is not installed: {INSTALL.get(args[0], 'install it')}")
    process = subprocess.Popen([binary, *args[1:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    # Set before the input is written: the child cannot start its work without it.
    seconds = max(1, int(cpu_s))
    resource.prlimit(process.pid, resource.RLIMIT_CPU, (seconds, seconds + 1))
    try:
        out, err = process.communicate(data, timeout=BACKSTOP_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise LimitError(f"{args[0]} stopped responding; try a smaller graph") from None
    if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise LimitError(f"drawing this graph takes more than {seconds} s of computing; "
                         "try a smaller expression or labels=none")
    if process.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {err.decode(errors='replace')[:500]}")
    return out
