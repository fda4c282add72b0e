#!/usr/bin/env python3
"""Anchor for `npm run bench`: the lesson's writer and reader, passing items through a multiprocessing.Queue.

Usage:
  python3 writer_reader_queue.py ITEMS
  echo '{"items": 10000}' | python3 writer_reader_queue.py

One writer process puts ITEMS short strings and then a sentinel (None); one
reader process gets until the sentinel (not until the queue looks empty,
which races with the writer) and reports how many it got. Both start
together. Prints one JSON object on stdout: items, received, totalMs (from
starting the processes to both joined) and itemsPerSec.
"""

import json
import multiprocessing
import sys
import time

MAX_ITEMS = 1_000_000
SENTINEL = None


def write(queue, count):
    for index in range(1, count + 1):
        queue.put("item %d" % index)
    queue.put(SENTINEL)


def read(queue, results):
    received = 0
    while True:
        item = queue.get()
        if item is SENTINEL:
            break
        received += 1
    results.put(received)


def main(argv):
    count = int(argv[1]) if len(argv) == 2 else int(json.load(sys.stdin)["items"])
    if not 1 <= count <= MAX_ITEMS:
        raise SystemExit("1 to %d items" % MAX_ITEMS)
    queue = multiprocessing.Queue()
    results = multiprocessing.Queue()
    writer = multiprocessing.Process(target=write, args=(queue, count))
    reader = multiprocessing.Process(target=read, args=(queue, results))
    start = time.perf_counter()
    writer.start()
    reader.start()
    received = results.get(timeout=300)
    writer.join()
    reader.join()
    total_ms = (time.perf_counter() - start) * 1000
    print(json.dumps({
        "items": count,
        "received": received,
        "totalMs": round(total_ms, 2),
        "itemsPerSec": round(count / (total_ms / 1000), 1),
        "writerPid": writer.pid,
        "readerPid": reader.pid,
        "startMethod": multiprocessing.get_start_method(),
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main(sys.argv)
