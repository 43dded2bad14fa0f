"""Load on the JSON API: POST /v1/check against `keicar serve` (one worker) on loopback.

    python benchmarks/bench_web.py [--requests 2000] [--concurrency 1] [--max-seconds 60]

Starts the server on 127.0.0.1 on a free port (never another host), sends a bounded number
of requests over keep-alive connections (stopping early at the time cap), and reports
requests/s, p50/p90/p99/max latency and errors. In the same run it measures two baselines,
so the figures read as ratios on a noisy shared machine:
- floor: GET /healthz through the same server and client (HTTP and framework cost alone);
- core: ``keicar.api.check`` called in-process on the same vehicles (the rule work alone).
Target: p99 under 20 ms at concurrency 1, zero errors.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

HOST = "127.0.0.1"
OUT = Path(__file__).parent / "out"


def vehicles(n: int = 64) -> list[dict]:
    """Varied kei-sized bodies and dates, some failing a limit, all valid input."""
    bodies = ["truck", "van", "passenger"]
    out = []
    for i in range(n):
        year = 1960 + (i * 7) % 66
        out.append({
            "built": f"{year}-{1 + i % 12:02d}" if i % 3 else f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "body": bodies[i % 3],
            "length_mm": 2990 + (i * 37) % 500,
            "width_mm": 1295 + (i * 23) % 220,
            "height_mm": 1500 + (i * 41) % 500,
            "cc": [356, 550, 658, 660, 700][i % 5],
            "on": "2026-11-24",
        })
    return out


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "keicar", "serve", "--host", HOST, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=1).read()
            return proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"keicar serve did not start: {proc.stderr.read().decode(errors='replace')}")


def drive(port: int, method: str, path: str, bodies: list[bytes | None], total: int, concurrency: int,
          max_seconds: float) -> dict:
    """Send `total` requests over `concurrency` keep-alive connections; latencies in ms."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))
    stop_at = time.monotonic() + max_seconds

    def worker():
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        headers = {"content-type": "application/json"}
        mine, bad = [], []
        while time.monotonic() < stop_at:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            body = bodies[i % len(bodies)]
            t = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                res = conn.getresponse()
                res.read()
                if res.status != 200:
                    bad.append(f"HTTP {res.status}")
            except (OSError, http.client.HTTPException) as exc:
                bad.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=10)
            mine.append((time.perf_counter() - t) * 1000)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return round(lat[min(len(lat) - 1, int(p / 100 * len(lat)))], 2) if lat else float("nan")

    return {"requests": len(lat), "seconds": round(wall, 2), "rps": round(len(lat) / wall, 1),
            "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99), "max_ms": round(lat[-1], 2) if lat else None,
            "mean_ms": round(statistics.fmean(lat), 2) if lat else None,
            "errors": len(errors), "error_kinds": sorted(set(errors))}


def core(sample: list[dict], total: int) -> dict:
    """``keicar.api.check`` in-process on the same vehicles: the rule work alone, with its
    own tail (the machine's noise reaches it too)."""
    from keicar.api import check
    from keicar.inputs.vehicle import make_vehicle

    lat = []
    for i in range(total):
        v = sample[i % len(sample)]
        t = time.perf_counter()
        check(make_vehicle(**{k: x for k, x in v.items() if k != "on"}), on=v["on"])
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    return {"p50_ms": round(lat[len(lat) // 2], 3), "p99_ms": round(lat[int(0.99 * len(lat))], 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=2000, help="requests to send (bounded; default 2000)")
    ap.add_argument("--concurrency", type=int, default=1, help="parallel keep-alive connections (default 1)")
    ap.add_argument("--max-seconds", type=float, default=60, help="stop sending after this long (default 60)")
    args = ap.parse_args()
    if not 1 <= args.requests <= 100_000 or not 1 <= args.concurrency <= 64:
        raise SystemExit("--requests must be 1..100000 and --concurrency 1..64")

    sample = vehicles()
    bodies = [json.dumps(v).encode() for v in sample]
    port = free_port()
    proc = start_server(port)
    try:
        warm = max(50, args.requests // 20)
        drive(port, "POST", "/v1/check", bodies, warm, 1, args.max_seconds)
        check = drive(port, "POST", "/v1/check", bodies, args.requests, args.concurrency, args.max_seconds)
        floor = drive(port, "GET", "/healthz", [None], args.requests, args.concurrency, args.max_seconds)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    base = core(sample, args.requests)

    report = {"server": "keicar serve, 1 uvicorn worker, 127.0.0.1", "concurrency": args.concurrency,
              "check": check, "floor_healthz": floor, "core_in_process": base,
              "p50_vs_floor": round(check["p50_ms"] / floor["p50_ms"], 2),
              "p50_minus_core_ms": round(check["p50_ms"] - base["p50_ms"], 2),
              "p99_vs_core_p99": round(check["p99_ms"] / base["p99_ms"], 2),
              "target_p99_under_20ms": check["p99_ms"] < 20 and check["errors"] == 0}
    OUT.mkdir(exist_ok=True)
    (OUT / "bench_web.json").write_text(json.dumps(report, indent=2))
    print(f"POST /v1/check  {check['requests']} requests, concurrency {args.concurrency}: "
          f"{check['rps']} req/s, p50 {check['p50_ms']} ms, p90 {check['p90_ms']} ms, "
          f"p99 {check['p99_ms']} ms, max {check['max_ms']} ms, errors {check['errors']} {check['error_kinds'] or ''}")
    print(f"GET /healthz    floor: {floor['rps']} req/s, p50 {floor['p50_ms']} ms, p99 {floor['p99_ms']} ms")
    print(f"api.check       in-process: p50 {base['p50_ms']} ms, p99 {base['p99_ms']} ms")
    print(f"ratios          check p50 / floor p50 = {report['p50_vs_floor']}; p50 beyond the core work = "
          f"{report['p50_minus_core_ms']} ms; check p99 / core p99 = {report['p99_vs_core_p99']}")
    print(f"target (p99 < 20 ms, zero errors): {'met' if report['target_p99_under_20ms'] else 'NOT met'}")


if __name__ == "__main__":
    main()
