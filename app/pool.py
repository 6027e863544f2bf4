"""The compute pool: worker processes that can be stopped, in two lanes, each task under a CPU-time limit.

Every computing route sends a Task here and awaits its Result, so the server's own process only does I/O,
caching and coalescing, and a big-integer loop or a long Graphviz run can never freeze it.

- Workers are made by a multiprocessing forkserver that has already imported the engine (a new one is a
  fork, a few milliseconds), and a dead or killed worker is replaced at once.
- CPU time, not wall-clock time, is the limit: while a task runs its thread reads the worker's CPU time
  (and that of its Graphviz children) from /proc every POLL_S, and past the limit kills the worker's process
  group and answers a 400 that names the limit. RLIMIT_CPU in the worker is the kernel's backstop.
- Memory: RLIMIT_AS caps each worker (a MemoryError is a 400); a worker grown past half the cap is replaced.
- Lanes: `workers` heavy workers take heavy tasks (and light ones when more wait than the light workers can
  start); `light_workers` workers take only light tasks, under `light_cpu_s`: a light task that runs longer
  is moved to the heavy lane (its light worker is replaced), so a wrong estimate costs the light lane at most
  `light_cpu_s`. No niceness: the kernel's wake-up preemption already runs a short light task at once, and
  a niced heavy worker would only lose its Graphviz runs to the engine's wall-clock timeouts on a busy host.
- Queues are bounded: a full lane raises Busy, which the server answers 503 with Retry-After.
"""

import atexit
import dataclasses
import math
import multiprocessing
import os
import signal
import threading
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass

from . import work
from .config import Settings, get_settings
from .work import Result, Task, refusal

POLL_S = 0.02  # how often a running task's CPU time is read
TICK_S = 1 / os.sysconf("SC_CLK_TCK")
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
# one thread per BLAS: a worker is one core's worth of work, and its memory cap counts no thread stacks
SINGLE_THREADED = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


class Busy(Exception):
    """The lane's queue is full: try again after `retry_after` seconds."""

    def __init__(self, lane: str, retry_after: int):
        super().__init__(f"the server is busy: the {lane} computations' queue is full; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limits:
    """The pool's shape and bounds (from Settings; the search uses its own)."""

    workers: int
    light_workers: int
    task_cpu_s: float
    light_cpu_s: float
    memory_mb: int
    heavy_queue: int
    light_queue: int
    max_answer_bytes: int = 8 << 20

    @classmethod
    def of(cls, settings: Settings) -> "Limits":
        cores = os.cpu_count() or 1
        return cls(settings.compute_workers or cores, settings.light_workers or cores, settings.task_cpu_s,
                   settings.light_cpu_s, settings.worker_memory_mb, settings.heavy_queue, settings.light_queue,
                   settings.max_answer_bytes)


def cpu_limit_refusal(limit: float) -> Result:
    refused = refusal(f"the request needed more than {limit:g} s of CPU time, the limit of one computation; "
                      "try a smaller expression, smaller arrays, exact=false or labels=none")
    return dataclasses.replace(refused, cpu_s=limit)  # at least: it was stopped there


class Pool:
    """Worker processes behind two bounded queues; submit(task, lane) returns a Future of the Result."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.cond = threading.Condition()
        self.queues: dict[str, deque] = {"light": deque(), "heavy": deque()}
        self.closed = False
        self.kills = self.demotions = self.done = 0
        self.idle_light = 0  # light workers waiting for a task
        os.environ.update({k: v for k, v in SINGLE_THREADED.items() if k not in os.environ})
        self.context = multiprocessing.get_context("forkserver")
        self.context.set_forkserver_preload(["chainrule.app.work"])
        self.workers = [Worker(self, heavy=True) for _ in range(limits.workers)]
        self.workers += [Worker(self, heavy=False) for _ in range(limits.light_workers)]
        for worker in self.workers:
            threading.Thread(target=worker.loop, name="chainrule-compute", daemon=True).start()

    def submit(self, task: Task, lane: str) -> Future:
        """Queue the task in its lane ("light" or "heavy"); raises Busy when that queue is full."""
        future: Future = Future()
        bound = self.limits.light_queue if lane == "light" else self.limits.heavy_queue
        with self.cond:
            queue = self.queues[lane]
            if self.closed or len(queue) >= bound:
                raise Busy(lane, self.retry_after(lane))
            queue.append((task, future))
            self.cond.notify_all()
        return future

    def retry_after(self, lane: str) -> int:
        """Return about how long the lane's queue takes to drain at its CPU limit, in whole seconds."""
        if lane == "light":
            return 1
        return max(1, math.ceil(self.limits.heavy_queue * self.limits.task_cpu_s / self.limits.workers))

    def take(self, heavy: bool):
        """Return the next (task, future) this worker may run; None once the pool is closed.

        A light worker takes light tasks. A heavy worker takes heavy tasks, and light ones only when more are
        waiting than idle light workers can start now: a light task runs at normal priority where it can.
        """
        with self.cond:
            while not self.closed:
                light = self.queues["light"]
                if light and (not heavy or len(light) > self.idle_light):
                    return light.popleft()
                if heavy and self.queues["heavy"]:
                    return self.queues["heavy"].popleft()
                self.idle_light += not heavy
                self.cond.wait()
                self.idle_light -= not heavy
        return None

    def demote(self, job) -> None:
        """Put a light task that ran past light_cpu_s at the head of the heavy queue (it has waited already)."""
        with self.cond:
            self.demotions += 1
            self.queues["heavy"].appendleft(job)
            self.cond.notify_all()

    def shutdown(self) -> None:
        """Stop every worker now; running and queued tasks are answered 503."""
        with self.cond:
            self.closed = True
            queued = [*self.queues["light"], *self.queues["heavy"]]
            self.queues["light"].clear()
            self.queues["heavy"].clear()
            self.cond.notify_all()
        for _, future in queued:
            future.set_result(refusal("the server is shutting down; try again in a moment", 503))
        for worker in self.workers:
            worker.kill()

    def pids(self) -> list[int]:
        return [worker.process.pid for worker in self.workers if worker.process is not None]


class Worker:
    """One worker process and the thread that feeds it tasks, watches its CPU time and replaces it."""

    def __init__(self, pool: Pool, heavy: bool):
        self.pool = pool
        self.heavy = heavy
        self.process = self.conn = None
        self.spawn()

    def spawn(self) -> None:
        limits = self.pool.limits
        self.conn, child = self.pool.context.Pipe()
        backstop = 2 * limits.task_cpu_s + 1  # above every limit the server applies: only for a lost server
        self.process = self.pool.context.Process(
            target=work.serve,
            args=(child, limits.memory_mb << 20, backstop, limits.max_answer_bytes),
            name="chainrule-compute", daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        """End the worker and anything it started (it leads its own process group)."""
        process = self.process
        if process is None or process.exitcode is not None:
            return
        for kill in (lambda: os.killpg(process.pid, signal.SIGKILL), process.kill):
            try:
                kill()
                break
            except (ProcessLookupError, PermissionError):
                continue
        process.join(5)

    def loop(self) -> None:
        while (job := self.pool.take(self.heavy)) is not None:
            task, future = job
            limit = self.pool.limits.task_cpu_s if self.heavy else self.pool.limits.light_cpu_s
            if self.heavy and task.cpu_s:
                limit = task.cpu_s
            result = self.run(task, limit)
            if result is None:  # a light task over the light limit: the heavy lane takes it from the start
                self.pool.demote(job)
                continue
            with self.pool.cond:
                self.pool.done += 1
            future.set_result(result)

    def run(self, task: Task, limit: float) -> Result | None:
        """Return the task's Result, or a refusal; None when a light worker's limit ran out (demote it)."""
        if self.process.exitcode is not None:
            self.spawn()
        pid = self.process.pid
        start = cpu_of_tree(pid)
        try:
            self.conn.send(task)
            while not self.conn.poll(POLL_S):
                if self.pool.closed:
                    return refusal("the server is shutting down; try again in a moment", 503)
                if cpu_of_tree(pid) - start > limit:
                    self.replace()
                    with self.pool.cond:
                        self.pool.kills += 1
                    return None if not self.heavy else cpu_limit_refusal(limit)
            result = self.conn.recv()
        except (EOFError, OSError):  # the worker died: the kernel's CPU backstop, or the OOM killer
            self.process.join(1)
            code = self.process.exitcode
            self.replace()
            if self.pool.closed:
                return refusal("the server is shutting down; try again in a moment", 503)
            if code == -signal.SIGXCPU:
                return cpu_limit_refusal(limit)
            return refusal(f"the computation stopped (worker exit {code}): it may have needed more than "
                           f"{self.pool.limits.memory_mb} MB of memory; try a smaller expression", 400)
        if rss_bytes(pid) > (self.pool.limits.memory_mb << 20) // 2:
            self.replace()  # a worker that grew stays big: start afresh
        return result

    def replace(self) -> None:
        self.kill()
        if not self.pool.closed:
            self.spawn()


def cpu_of_tree(pid: int) -> float:
    """Return the CPU seconds of process pid: its own, its finished children's, and its running children's."""
    total = _stat_ticks(pid, with_children=True)
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            total += sum(_stat_ticks(int(child), with_children=False) for child in children.read().split())
    except OSError:
        pass
    return total * TICK_S


def _stat_ticks(pid: int, with_children: bool) -> int:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    # after the ")" of the name: state is field 3, utime 14, stime 15, cutime 16, cstime 17 (proc(5))
    ticks = fields[11:15] if with_children else fields[11:13]
    return sum(int(tick) for tick in ticks)


def rss_bytes(pid: int) -> int:
    """Return the resident memory of process pid (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


_shared: Pool | None = None
_shared_lock = threading.Lock()


def shared() -> Pool:
    """Return this process's pool, started on first use with the settings' limits (one per server process)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.closed:
            _shared = Pool(Limits.of(get_settings()))
            atexit.register(_shared.shutdown)
        return _shared


def shutdown_shared() -> None:
    """Stop this process's pool, if it was started."""
    with _shared_lock:
        if _shared is not None:
            _shared.shutdown()
