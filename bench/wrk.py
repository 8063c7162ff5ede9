"""wrk, the load generator of the benchmarks: one C process that drives hundreds of requests a second from
one core, where Python client threads would take the server's CPU and flatter every ratio against it."""

import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "orders.lua"
MARKER = "OMS_WRK_JSON "


def ensure_wrk() -> str:
    """The path of wrk; installs the Debian package when it is missing (as root)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk (Debian/Ubuntu), or brew install wrk")
    print("installing wrk (apt-get install -y wrk)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True)
        subprocess.run(install, env=env, check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


@dataclass
class WrkResult:
    requests: int
    seconds: float
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    latency_ms: dict[str, float]
    raw: str = field(repr=False, default="")

    @property
    def rate(self) -> float:
        """Answered requests per second (any status)."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def ok(self) -> int:
        return sum(count for status, count in self.statuses.items() if 200 <= status < 300)

    @property
    def ok_rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    @property
    def non_2xx(self) -> dict[int, int]:
        return {status: count for status, count in sorted(self.statuses.items()) if not 200 <= status < 300}

    @property
    def failed(self) -> int:
        return sum(self.non_2xx.values()) + sum(self.socket_errors.values())


def run_wrk(
    url: str,
    *,
    threads: int,
    connections: int,
    seconds: float,
    script_args: dict[str, object],
    rate: float = 0,
    timeout_s: int = 10,
) -> WrkResult:
    """Run wrk with bench/orders.lua against ``url``; ``rate`` > 0 paces it at that many requests/s in all."""
    command = [
        ensure_wrk(),
        f"-t{threads}",
        f"-c{max(connections, threads)}",
        f"-d{max(1, round(seconds))}s",
        f"--timeout={timeout_s}s",
        "-s",
        str(SCRIPT),
        url,
        "--",
        *(f"{k}={v}" for k, v in script_args.items()),
    ]
    env = {**os.environ}
    env.pop("OMS_WRK_RATE", None)
    if rate > 0:
        env["OMS_WRK_RATE"] = f"{rate / threads:.6f}"
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 120)
    line = next((x for x in done.stdout.splitlines() if x.startswith(MARKER)), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    data = json.loads(line[len(MARKER) :])
    return WrkResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        statuses={int(k): v for k, v in data["statuses"].items()},
        socket_errors=data["socket_errors"],
        latency_ms={k: v / 1000 for k, v in data["latency_us"].items()},
        raw=done.stdout,
    )


def warm_up(url: str, *, threads: int, connections: int, script_args: dict[str, object], requests: int, seconds: float):
    """Short wrk runs until ``requests`` were answered (each web process has imported, connected and cached
    what its first requests need), at least ``seconds`` and at most a minute in all."""
    answered, started, burst = 0, time.monotonic(), 0
    while (answered < requests or time.monotonic() - started < seconds) and time.monotonic() - started < 60:
        burst += 1  # a new tag per run: the Idempotency-Keys of one run must not come back in the next
        args = {**script_args, "tag": f"{script_args.get('tag', 'warm-up')}-{burst}"}
        answered += run_wrk(url, threads=threads, connections=connections, seconds=2, script_args=args).requests
