"""The compute pool: real worker processes, real engine, real Graphviz. A computation past its CPU time is
stopped and named, its worker replaced; past its memory it is refused; a light task that turns out heavy
moves lanes; a full queue says so; small work goes to the light lane."""

import json
import time

import pytest

from chainrule.app.answers import lane_of
from chainrule.app.config import Settings
from chainrule.app.pool import Busy, Limits, Pool, cpu_of_tree
from chainrule.app.query import GraphQuery
from chainrule.app.work import Task

ONES = "[" + ",".join(["1"] * 2_999) + "]"
COSTLY = Task("graph", (("expr", "sin(x)*x+x"), ("x", ONES)))  # ~0.4 s of CPU on this machine's cores
SMALL = Task("graph", (("expr", "(x+y)*z"), ("x", "-2"), ("y", "5"), ("z", "-4")))


def limits(**given) -> Limits:
    base = dict(workers=1, light_workers=0, task_cpu_s=5.0, light_cpu_s=5.0, memory_mb=1024, heavy_queue=8,
                light_queue=8)
    return Limits(**{**base, **given})


@pytest.fixture
def make_pool():
    pools = []

    def make(**given) -> Pool:
        pools.append(Pool(limits(**given)))
        return pools[-1]

    yield make
    for pool in pools:
        pool.shutdown()


def detail(result) -> str:
    return json.loads(result.body)["detail"]


def test_a_computation_past_its_cpu_time_is_stopped_and_named_and_its_worker_replaced(make_pool):
    pool = make_pool(task_cpu_s=0.05)
    first_pid = pool.pids()[0]
    result = pool.submit(COSTLY, "heavy").result(timeout=60)
    assert result.status == 400 and "0.05 s of CPU time" in detail(result)
    assert pool.kills == 1 and pool.pids()[0] != first_pid
    assert pool.submit(SMALL, "heavy").result(timeout=60).status == 200  # the new worker answers


def test_the_cpu_time_of_a_finished_computation_is_measured_in_the_worker(make_pool):
    pool = make_pool()
    result = pool.submit(COSTLY, "heavy").result(timeout=60)
    assert result.status == 200 and 0.05 < result.cpu_s < 5.0


def test_a_worker_past_its_memory_answers_a_4xx_and_the_pool_carries_on(make_pool):
    probe = make_pool()  # the cap is the worker's own size plus a little
    size_mb = int(open(f"/proc/{probe.pids()[0]}/status").read().split("VmSize:")[1].split()[0]) >> 10
    tight = make_pool(memory_mb=size_mb + 40)
    big = Task("graph", (("expr", "sin(x)" + "/x" * 19), ("x", "[" + ",".join(["2"] * 9_999) + "]")))
    result = tight.submit(big, "heavy").result(timeout=60)
    assert 400 <= result.status < 500, result.body[:200]
    assert tight.submit(SMALL, "heavy").result(timeout=60).status == 200


def test_a_light_task_that_runs_long_moves_to_the_heavy_lane(make_pool):
    pool = make_pool(light_workers=1, light_cpu_s=0.02)
    result = pool.submit(COSTLY, "light").result(timeout=60)
    assert result.status == 200 and pool.demotions == 1


def test_a_full_queue_is_busy_with_a_retry_after(make_pool):
    pool = make_pool(heavy_queue=1, task_cpu_s=1.0)
    outcomes = []
    for i in range(4):
        try:
            outcomes.append(pool.submit(Task("graph", COSTLY.pairs + (("y", str(i)),)), "heavy"))
        except Busy as busy:
            outcomes.append(busy)
    refused = [outcome for outcome in outcomes if isinstance(outcome, Busy)]
    assert refused and all(busy.retry_after >= 1 and "queue is full" in str(busy) for busy in refused)


def test_light_work_waits_for_no_heavy_work(make_pool):
    pool = make_pool(workers=1, light_workers=1)
    heavy = [pool.submit(Task("graph", COSTLY.pairs + (("y", str(i)),)), "heavy") for i in range(3)]
    start = time.perf_counter()
    assert pool.submit(SMALL, "light").result(timeout=60).status == 200
    assert time.perf_counter() - start < 1.0 and not all(future.done() for future in heavy)


def test_shutdown_answers_what_was_waiting_and_ends_the_workers(make_pool):
    pool = make_pool()
    futures = [pool.submit(Task("graph", COSTLY.pairs + (("y", str(i)),)), "heavy") for i in range(3)]
    pids = pool.pids()
    pool.shutdown()
    statuses = {future.result(timeout=10).status for future in futures}
    assert statuses <= {200, 503} and 503 in statuses
    assert all(cpu_of_tree(pid) == 0 for pid in pids)  # gone: nothing left in /proc


LANES = [  # expression, values, options, lane
    ("(x+y)*z", {"x": "-2"}, {}, "light"),
    ("sigmoid(w0*x0 + w1*x1 + w2)", {}, {}, "light"),
    ("relu(x)", {"x": "[1,-2,3,-1]"}, {}, "light"),
    ("sigmoid(w0*x0 + w1*x1 + w2)", {}, {"exact": True}, "heavy"),  # exact: no cheap estimate of its cost
    ("+".join(f"x{i}" for i in range(40)), {}, {}, "heavy"),  # 79 nodes
    ("sigmoid(x)*x", {}, {"granularity": "primitive"}, "light"),
    ("+".join(f"sigmoid(x{i})" for i in range(8)), {}, {}, "light"),  # 23 tokens
    ("+".join(f"sigmoid(x{i})" for i in range(8)), {}, {"granularity": "primitive"}, "heavy"),  # sigmoid is 4 gates
    ("tan(tan(x))", {"x": ONES}, {}, "heavy"),  # 5 nodes x 3,000 elements
    ("x*2", {"x": "[" + ",".join(["1"] * 600) + "]"}, {}, "light"),  # 3 nodes x 600
    ("x*2", {"x": "[" + ",".join(["1"] * 5_000) + "]"}, {}, "heavy"),  # 3 nodes x 5,000
]


@pytest.mark.parametrize(("expr", "values", "options", "lane"), LANES)
def test_small_work_goes_to_the_light_lane(expr, values, options, lane):
    assert lane_of("graph", GraphQuery(expr, values, **options), Settings()) == lane


def test_a_slide_deck_is_heavy_work_whatever_its_size():
    assert lane_of("slides.pdf", GraphQuery("x"), Settings()) == "heavy"


def test_an_answer_past_its_size_is_refused_in_the_worker(make_pool):
    pool = make_pool(max_answer_bytes=1 << 19)
    result = pool.submit(COSTLY, "heavy").result(timeout=60)  # ~900 KB of JSON
    assert result.status == 400 and "the limit is 0.5 MB" in detail(result)
    assert pool.submit(SMALL, "heavy").result(timeout=60).status == 200
