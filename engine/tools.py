"""The outside programs a drawing needs (Graphviz's dot, librsvg's rsvg-convert), run under a CPU-time
limit, and the media type of every format chainrule writes.

A tool's limit is CPU seconds set on the child process (RLIMIT_CPU, the kernel stops it), so a busy
machine makes a drawing slower, never refused; a generous wall-clock backstop only catches a child
that stopped using the CPU altogether.

SVG layouts go to one `dot -Tsvg` that each process keeps running (`dot_svg`): starting dot costs
~17 ms even for 10 nodes, laying out 10 nodes ~2 ms. Before each graph its CPU limit is set to what
it has used so far plus the graph's allowance, so every graph still gets its own CPU seconds.
"""
from __future__ import annotations

import math
import os
import re
import resource
import select
import shutil
import signal
import subprocess
import threading

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
DOT_GRAPHS = 500          # graphs one kept dot lays out before a fresh one replaces it (its heap only grows)
DOT_KEPT_BYTES = 128 << 20   # a kept dot that grew past this resident size (a big layout) is replaced
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
SVG_END = b"</svg>\n"
TICK_S = 1 / os.sysconf("SC_CLK_TCK")


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
        raise _cpu_limit(seconds)
    if process.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {err.decode(errors='replace')[:500]}")
    return out


def _cpu_limit(seconds: int) -> LimitError:
    return LimitError(f"drawing this graph takes more than {seconds} s of computing; "
                      "try a smaller expression or labels=none")


class _KeptDot:
    """A `dot -Tsvg` kept running: one graph in, its SVG out, until it has drawn DOT_GRAPHS, grown past
    DOT_KEPT_BYTES, or failed."""

    def __init__(self, binary: str):
        self.owner = os.getpid()   # a forked child must not share its parent's pipes
        self.graphs = 0
        self.process = subprocess.Popen([binary, "-Tsvg"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, bufsize=0)

    def layout(self, dot: str, cpu_s: float) -> bytes | None:
        """Returns the SVG, raises LimitError past `cpu_s` CPU seconds, or None when dot failed otherwise."""
        self.graphs += 1
        seconds = max(1, int(cpu_s))
        try:
            # RLIMIT_CPU counts the process's whole life, in whole seconds: this graph gets seconds to seconds + 1.
            # Only the soft limit moves (SIGXCPU ends dot): raising a hard limit takes a privilege.
            _, hard = resource.prlimit(self.process.pid, resource.RLIMIT_CPU)
            soft = math.ceil(self._cpu_s() + seconds)
            resource.prlimit(self.process.pid, resource.RLIMIT_CPU,
                             (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))
            # dot draws a graph once it reads the line after its "}": without a newline it would wait for more
            self.process.stdin.write(dot.encode() if dot.endswith("\n") else (dot + "\n").encode())
            out = bytearray()
            while not out.endswith(SVG_END):
                ready, _, _ = select.select([self.process.stdout], [], [], BACKSTOP_S)
                chunk = os.read(self.process.stdout.fileno(), 1 << 16) if ready else b""
                if not chunk:   # dot ended (or stopped answering): how it ended says why
                    self.process.wait(BACKSTOP_S if ready else 0.1)
                    break
                out += chunk
            else:
                # a second graph in one dot is "page0,1_graph0"; a fresh dot writes "graph0"
                return re.sub(rb'<g id="page\d+,\d+_graph0" class="graph"', b'<g id="graph0" class="graph"',
                              bytes(out), count=1)
        except (OSError, subprocess.TimeoutExpired):
            pass
        ended = self.process.poll()   # None: it is alive and this side failed, not dot
        self.stop()
        if ended in (-signal.SIGXCPU, -signal.SIGKILL):
            raise _cpu_limit(seconds)
        return None

    def _cpu_s(self) -> float:
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) * TICK_S   # utime, stime (proc(5))
        except (OSError, IndexError, ValueError):
            return 0.0

    def resident_bytes(self) -> int:
        try:
            with open(f"/proc/{self.process.pid}/statm") as statm:
                return int(statm.read().split()[1]) * PAGE_BYTES
        except (OSError, IndexError, ValueError):
            return 0

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


_kept: _KeptDot | None = None
_kept_lock = threading.Lock()


def dot_svg(dot: str, cpu_s: float = TOOL_CPU_S) -> bytes:
    """Returns Graphviz's SVG of one named DOT graph (the bytes `dot -Tsvg` writes; one dot calls anonymous
    graphs %1, %3, ...), laid out by the dot this process keeps running; a fresh dot (run_tool) when that one
    fails, so an error reads as usual.

    Raises LimitError past `cpu_s` seconds of CPU, RuntimeError when dot is missing or fails.
    """
    global _kept
    if dot.count("digraph") > 1:   # several graphs (or a name that says digraph): the kept dot reads one SVG back
        return run_tool(["dot", "-Tsvg"], dot.encode(), cpu_s)
    with _kept_lock:
        if _kept is not None and _kept.owner != os.getpid():
            _kept = None   # the parent's: this process starts its own
        if _kept is None and (binary := shutil.which("dot")) is not None:
            _kept = _KeptDot(binary)
        try:
            svg = _kept.layout(dot, cpu_s) if _kept is not None else None
        except LimitError:
            _kept = None
            raise
        if svg is None:
            _kept = None
        elif _kept.graphs >= DOT_GRAPHS or _kept.resident_bytes() > DOT_KEPT_BYTES:
            _kept.stop()   # the next drawing starts a fresh dot
            _kept = None
    return svg if svg is not None else run_tool(["dot", "-Tsvg"], dot.encode(), cpu_s)


def warm_dot() -> None:
    """Starts this process's kept dot and has it load its fonts and plugins (~50 ms), before a request waits."""
    try:
        dot_svg('digraph { a [label=<<b>x</b>>, fontname="DejaVu Sans"] }')
    except (RuntimeError, LimitError):
        pass   # no Graphviz: the first drawing says so
