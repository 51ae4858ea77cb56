"""Run the same work in several threads at the same moment, each on its own connection."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def at_once[T](work: Callable[[int], T], count: int) -> list[T]:
    """`work(0)` … `work(count - 1)`, released together; their results in the order they
    finished. Any error in a thread is raised here, after every thread has ended."""
    barrier = threading.Barrier(count)
    results: list[T] = []
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results.append(work(index))
        except BaseException as error:  # raised below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    assert len(results) == count, "a thread did not finish in time"
    return results
