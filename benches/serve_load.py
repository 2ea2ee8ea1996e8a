#!/usr/bin/env python3
"""Load test of `detente serve` on loopback (docs/BENCHMARKS.md, "Workbench server").

Starts target/release/detente serve on a free port of 127.0.0.1, then, each
phase bounded in count and time:
  1. 100 concurrent analyses of a 10^6-outcome scenario;
  2. 1,000 concurrent small requests (GET /api/health and POST /api/check);
  3. 50 oversized bodies (3 MiB against the 2 MiB limit);
while a prober asks GET /api/health every 20 ms and records its latency.
Prints the statuses per phase, the prober's p50/p99/max and the server's
peak and final resident memory. Sends nothing but to 127.0.0.1.

    python3 benches/serve_load.py [path/to/detente]
"""
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/detente")


def grid(issues, values):
    """values^issues outcomes; a constraint so that the engine enumerates."""
    out = ['format = 1', 'name = "grid"']
    for i in range(issues):
        out += ["[[issues]]", f'id = "i{i}"', 'kind = "integer"', "min = 0", f"max = {values - 1}"]
    for actor, pos in (("a", values - 1), ("b", 0)):
        out += ["[[actors]]", f'id = "{actor}"', "reservation = 0.3"]
        out += [f"stances.i{i} = {{ position = {pos}, salience = {(i + 1) / 10} }}" for i in range(issues)]
    out += ["[status_quo]"] + [f"i{i} = 0" for i in range(issues)]
    out += ["[[constraints]]", 'owner = "b"', 'label = "cap"', 'rule = "i0 <= 8"']
    return "\n".join(out) + "\n"


def request(port, method, path, body=None, timeout=120):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        headers = {"content-type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        res = conn.getresponse()
        res.read()
        return res.status, time.perf_counter() - started
    except Exception as e:  # a refused or reset connection counts as such
        return type(e).__name__, time.perf_counter() - started
    finally:
        conn.close()


def rss(pid):
    text = open(f"/proc/{pid}/status").read()
    get = lambda key: int(re.search(rf"{key}:\s+(\d+) kB", text).group(1)) // 1024
    return get("VmRSS"), get("VmHWM")


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    server = subprocess.Popen([BINARY, "serve", "--port", "0"], stderr=subprocess.PIPE, text=True)
    line = server.stderr.readline()
    while "detente workbench at" not in line:
        line = server.stderr.readline()
        if not line:
            sys.exit("the server did not start")
    port = int(re.search(r":(\d+)/", line).group(1))
    threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()  # drain the log
    print(f"server pid {server.pid} on port {port}; resident at start {rss(server.pid)[0]} MiB")

    probes, stop = [], threading.Event()

    def probe():
        while not stop.is_set():
            status, t = request(port, "GET", "/api/health", timeout=10)
            probes.append((status, t))
            time.sleep(0.02)

    prober = threading.Thread(target=probe)
    prober.start()
    big = json.dumps({"text": grid(6, 10)})
    kuril = json.dumps({"text": open(os.path.join(ROOT, "scenarios/kuril-2019.toml")).read()})
    results = {}
    try:
        with ThreadPoolExecutor(max_workers=100) as pool:
            started = time.perf_counter()
            got = list(pool.map(lambda _: request(port, "POST", "/api/analyze", big), range(100)))
            results["100 analyses of 10^6 outcomes"] = (got, time.perf_counter() - started)
        with ThreadPoolExecutor(max_workers=1000) as pool:
            started = time.perf_counter()
            jobs = [("GET", "/api/health", None) if k % 2 else ("POST", "/api/check", kuril) for k in range(1000)]
            got = list(pool.map(lambda j: request(port, *j, timeout=60), jobs))
            results["1,000 small requests (health, check)"] = (got, time.perf_counter() - started)
        oversized = json.dumps({"text": "x" * (3 << 20)})
        with ThreadPoolExecutor(max_workers=50) as pool:
            started = time.perf_counter()
            got = list(pool.map(lambda _: request(port, "POST", "/api/analyze", oversized), range(50)))
            results["50 bodies of 3 MiB"] = (got, time.perf_counter() - started)
    finally:
        stop.set()
        prober.join()
    now, peak = rss(server.pid)
    server.send_signal(2)  # Ctrl-C: graceful shutdown
    code = server.wait(timeout=30)

    for name, (got, wall) in results.items():
        statuses = Counter(s for s, _ in got)
        times = [t for _, t in got]
        print(f"{name}: {dict(statuses)} in {wall:.2f} s; per request p50 {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms")
    latencies = [t * 1000 for s, t in probes if s == 200]
    print(f"/api/health while loaded: {len(probes)} probes, {len(latencies)} answered 200; "
          f"p50 {percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, max {max(latencies):.1f} ms")
    print(f"server resident memory: peak {peak} MiB, after the load {now} MiB; exit code after Ctrl-C {code}")


if __name__ == "__main__":
    main()
