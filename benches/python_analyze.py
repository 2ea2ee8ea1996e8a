#!/usr/bin/env python3
"""The Python side of benches/python.sh: `Scenario.analyze()` timed in the
interpreter with the wheel installed (scenarios loaded once, before timing).

Usage: python_analyze.py FILE [REPS]; prints one JSON object with the
fastest and the median repetition in seconds."""
import json
import sys
import time

import detente

path = sys.argv[1]
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
scenario = detente.load(path)
times = []
for _ in range(max(reps, 1)):
    start = time.perf_counter()
    analysis = scenario.analyze()
    times.append(time.perf_counter() - start)
times.sort()
print(json.dumps({"file": path, "reps": len(times), "deal_exists": analysis.deal_exists,
                  "min_seconds": times[0], "median_seconds": times[len(times) // 2]}))
