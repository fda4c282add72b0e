#!/usr/bin/env python3
"""Anchor for `npm run bench`: the lesson's simulated downloads, timed in Python.

Usage:
  python3 download_tasks.py MODE COUNT DURATION_MS
  echo '{"mode": "processes", "durationsMs": [200, 200]}' | python3 download_tasks.py

MODE is `sequential` (each task in this process, one after another) or
`processes` (one multiprocessing.Process per task, all started, then all
joined). Each task sleeps its duration, as the lesson's download does.
Prints one JSON object on stdout: totalMs, idealMs (the sum one after
another, the longest side by side), overheadMs = totalMs - idealMs, the
pid of each task and the multiprocessing start method.
"""

import json
import multiprocessing
import os
import sys
import time

MAX_TASKS = 2000
MAX_DURATION_MS = 60_000


def download_task(duration_ms):
    time.sleep(duration_ms / 1000)


def run_sequential(durations):
    pids = []
    for duration in durations:
        download_task(duration)
        pids.append(os.getpid())
    return pids


def run_processes(durations):
    processes = [multiprocessing.Process(target=download_task, args=(duration,)) for duration in durations]
    for process in processes:
        process.start()
    pids = [process.pid for process in processes]
    for process in processes:
        process.join()
    failed = [process.exitcode for process in processes if process.exitcode != 0]
    if failed:
        raise RuntimeError("%d task processes failed, exit codes %s" % (len(failed), failed[:5]))
    return pids


def read_request(argv):
    if len(argv) == 4:
        mode, count, duration = argv[1], int(argv[2]), int(argv[3])
        return mode, [duration] * count
    request = json.load(sys.stdin)
    return request["mode"], [int(d) for d in request["durationsMs"]]


def main(argv):
    mode, durations = read_request(argv)
    if mode not in ("sequential", "processes"):
        raise SystemExit("mode must be sequential or processes, not %r" % mode)
    if not 1 <= len(durations) <= MAX_TASKS or any(not 0 <= d <= MAX_DURATION_MS for d in durations):
        raise SystemExit("1 to %d tasks of 0 to %d ms" % (MAX_TASKS, MAX_DURATION_MS))
    start = time.perf_counter()
    pids = run_sequential(durations) if mode == "sequential" else run_processes(durations)
    total_ms = (time.perf_counter() - start) * 1000
    ideal_ms = sum(durations) if mode == "sequential" else max(durations)
    print(json.dumps({
        "mode": mode,
        "tasks": len(durations),
        "totalMs": round(total_ms, 2),
        "idealMs": ideal_ms,
        "overheadMs": round(total_ms - ideal_ms, 2),
        "pids": pids,
        "startMethod": multiprocessing.get_start_method(),
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main(sys.argv)
