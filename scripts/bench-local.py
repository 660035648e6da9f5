#!/usr/bin/env python3
"""`make bench-local`: what `menort local` costs, measured from outside with real clients.

    scripts/bench-local.py --menort PATH [--template T] [--quick] [--json OUT]

Serves scripts/bench/local/template.yaml (the rendered stack with no-op Node.js handlers and
two two-way routes, `echo` and `whoami`) with `menort local --port 0 --quiet`, and measures:

  1. round trip: one client sends `{"action":"echo",...}` and waits for the echo, one message
     at a time (the worker is warm). Beside it, in the same connection and interleaved in
     blocks, a WebSocket ping: menort answers pongs itself, so the ping is the floor that this
     client, the loopback and NIO's frame codec cost without any gateway or handler work.
     Then the split, in a second server with logging on: each message's REPORT Duration
     (what menort measured from writing the event to the worker's pipe to reading its reply:
     the bootstrap's JSON, the handler, the pipe both ways; what Lambda would bill) against
     the same message's round trip. Round trip minus Duration is what happens outside the
     worker: menort choosing the route, building the event, parsing the reply, framing it,
     plus the client and the loopback (the ping floor says how much of that is the client's).
  2. 1,000 concurrent connections (each ran $connect, each then echoes once): menort's own
     VmRSS and VmHWM from /proc/PID/status (the workers are separate processes, not counted).
     menort starts with a soft descriptor limit of 1024, a shell's usual one: 1,000 clients
     and the workers' pipes fit only because menort raises it to the hard limit itself.
  3. @connections: a keep-alive load generator (raw sockets, asyncio, one request in flight
     per connection) POSTs to a connection whose client, in another process, reads and counts
     every frame; POSTs/s counts 200 answers, and every posted frame must arrive.

Every server is stopped with SIGINT (its $disconnect handlers run, it must exit 0, and no
process of its tree may remain: the workers, in process groups of their own, are found by
parentage; this script is a subreaper, so a worker that outlives menort becomes its child and
is found too). What is left is killed and reported; menort dies with this script (SIGINT by
PR_SET_PDEATHSIG) and this script unwinds on SIGTERM, so no server outlives a failed run.

Targets (issue: menort local): round trip median <= 2 ms and p99 <= 10 ms, 1,000 connections
in <= 64 MiB RSS, >= 5,000 POSTs/s.
"""
import argparse
import asyncio
import json
import os
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

# The process tree under menort local (scripts/proctree.py).
from proctree import alive, become_subreaper, descendants, process_table, reap

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURE = os.path.join(HERE, "bench", "local", "template.yaml")


def raise_fd_limit(wanted=8192):
    """1,000 client sockets here (menort starts with 1024 and must raise its own limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(values):
    return {"median": statistics.median(values), "p99": percentile(values, 0.99),
            "p90": percentile(values, 0.90), "min": min(values), "max": max(values), "count": len(values)}


def proc_status(pid):
    values = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "Threads"):
                values[key] = int(rest.split()[0])
    return values


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Server:
    """`menort local --port 0`; `stop()` is SIGINT, then SIGKILL for whatever of it is left."""

    helpers = set()  # this script's other children (the reading client), not leftovers

    def __init__(self, menort, template, quiet=True, log_path=None):
        self.log_path = log_path
        self.log = open(log_path, "w") if log_path else subprocess.DEVNULL
        args = [menort, "local", template, "--port", "0", "--host", "127.0.0.1"]
        if quiet:
            args.append("--quiet")
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL,
                                        start_new_session=True, cwd=os.path.dirname(template),
                                        preexec_fn=_server_child_setup)
        self.pid = self.process.pid
        self.exit_code = None
        self.leftovers = []
        ready, _, _ = select.select([self.process.stdout], [], [], 30)
        line = self.process.stdout.readline().decode().strip() if ready else ""
        if not line.startswith("ws://"):
            self.stop()
            raise RuntimeError("menort local did not print its URL (exit %s)" % self.process.returncode)
        self.url = line
        self.http_port = int(line.split(":")[2].split("/")[0])
        self.stage = line.rsplit("/", 1)[1]

    def stop(self, wait=20):
        """SIGINT and wait; then any process of menort's tree still there is a leftover (killed)."""
        if self.exit_code is not None:
            return self.exit_code
        tree = descendants(self.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(wait)
            except subprocess.TimeoutExpired:
                pass
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)
        # Workers started during the stop are not in `tree`; as this script is a subreaper,
        # any that outlived menort are now its own children.
        deadline = time.time() + 3
        while True:
            reap()
            mine = [pid for pid, (ppid, state) in process_table().items() if ppid == os.getpid() and state != "Z"]
            left = sorted(set(pid for pid in tree if alive(pid)) | set(mine) - Server.helpers)
            if not left or time.time() > deadline:
                break
            time.sleep(0.05)
        self.leftovers = left
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reap()
        self.exit_code = self.process.returncode
        if self.log is not subprocess.DEVNULL:
            self.log.close()
        return self.exit_code

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _server_child_setup():
    """In menort's process before exec: SIGINT when the bench dies (even by SIGKILL), so no
    server outlives it; and the soft descriptor limit a shell usually gives (1024), not this
    script's raised one, so menort's own raise is what lets 1,000 clients and the workers in."""
    import ctypes
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGINT)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft > 1024 and (hard == resource.RLIM_INFINITY or hard >= 1024):
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))


def connect(url, **kwargs):
    import websockets
    return websockets.connect(url, ping_interval=None, max_queue=None, compression=None, **kwargs)


# --- 1. round trip -----------------------------------------------------------------------

async def round_trips(url, blocks, per_block, warmup):
    """Echo and ping round trips (seconds), interleaved in blocks so both see the same noise."""
    message = json.dumps({"action": "echo", "data": "x" * 64})
    echo, ping = [], []
    async with connect(url) as ws:
        for _ in range(warmup):
            await ws.send(message)
            assert await ws.recv() == message
        for _ in range(blocks):
            for _ in range(per_block):
                started = time.perf_counter_ns()
                await ws.send(message)
                reply = await ws.recv()
                echo.append((time.perf_counter_ns() - started) / 1e9)
                assert reply == message
            for _ in range(per_block):
                started = time.perf_counter_ns()
                pong = await ws.ping()
                await pong
                ping.append((time.perf_counter_ns() - started) / 1e9)
    return echo, ping


def report_durations(log_path, function="EchoFunction"):
    """Each REPORT line's Duration (seconds) for `function`, in order."""
    durations = []
    with open(log_path) as f:
        for line in f:
            if line.startswith("[%s] REPORT " % function) and "\tDuration: " in line:
                durations.append(float(line.split("\tDuration: ")[1].split(" ")[0]) / 1000)
    return durations


# --- 2. connections ------------------------------------------------------------------------

async def hold_connections(url, count, pid, concurrency=64):
    before = proc_status(pid)
    limit = asyncio.Semaphore(concurrency)
    sockets = []
    refusals = []

    async def open_one():
        async with limit:
            try:
                sockets.append(await connect(url, open_timeout=60))
            except Exception as error:  # a refused handshake is a result, not a crash
                refusals.append("%s: %s" % (type(error).__name__, error))

    started = time.perf_counter()
    await asyncio.gather(*(open_one() for _ in range(count)))
    opened_in = time.perf_counter() - started
    await asyncio.sleep(0.5)
    held = proc_status(pid)

    wrong = []

    async def echo(ws, n):
        message = json.dumps({"action": "echo", "n": n})
        async with limit:
            await ws.send(message)
            reply = await ws.recv()
            if reply != message:
                wrong.append(reply)

    await asyncio.gather(*(echo(ws, n) for n, ws in enumerate(sockets)))
    after = proc_status(pid)
    await asyncio.gather(*(ws.close() for ws in sockets))
    return {"idle": before, "held": held, "after_echo": after, "opened_in": opened_in, "count": len(sockets),
            "refused": len(refusals), "first_refusal": refusals[0] if refusals else None,
            "echo_failed": len(wrong), "first_wrong_echo": wrong[0] if wrong else None}


# --- 3. @connections POSTs -----------------------------------------------------------------

READER = r"""
import asyncio, sys, websockets
async def main(url):
    async with websockets.connect(url, ping_interval=None, max_queue=None, compression=None) as ws:
        await ws.send('{"action":"whoami"}')
        print(await ws.recv(), flush=True)
        frames = 0
        stop = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().add_reader(sys.stdin.fileno(), lambda: stop.done() or stop.set_result(int(sys.stdin.readline() or 0)))
        expected = None
        while True:
            if stop.done() and expected is None:
                expected = stop.result()
            if expected is not None and frames >= expected:
                break
            try:
                await asyncio.wait_for(ws.recv(), 5 if expected is not None else 0.2)
                frames += 1
            except asyncio.TimeoutError:
                if expected is not None:
                    break
        print(frames, flush=True)
asyncio.run(main(sys.argv[1]))
"""


class PostClient(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection, one POST in flight, the next sent on each answer."""

    def __init__(self, request, done):
        self.request = request
        self.done = done
        self.buffer = b""
        self.ok = 0
        self.other = 0
        self.running = True

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end]
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if len(self.buffer) < end + 4 + length:
                return
            self.buffer = self.buffer[end + 4 + length:]
            if head.startswith(b"HTTP/1.1 200"):
                self.ok += 1
            else:
                self.other += 1
            if self.running:
                self.transport.write(self.request)
            else:
                self.transport.close()
                return

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(None)


async def post_load(port, stage, connection_id, connections, seconds, warmup):
    body = json.dumps({"type": "bench", "text": "x" * 64}).encode()
    request = (b"POST /%s/@connections/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/json\r\n"
               b"Content-Length: %d\r\n\r\n" % (stage.encode(), connection_id.encode(), port, len(body))) + body
    loop = asyncio.get_running_loop()
    clients = []
    for _ in range(connections):
        done = loop.create_future()
        _, client = await loop.create_connection(lambda: PostClient(request, done), "127.0.0.1", port)
        clients.append(client)
    await asyncio.sleep(warmup)
    ok0 = sum(c.ok for c in clients)
    other0 = sum(c.other for c in clients)
    started = time.perf_counter()
    await asyncio.sleep(seconds)
    ok = sum(c.ok for c in clients) - ok0
    other = sum(c.other for c in clients) - other0
    elapsed = time.perf_counter() - started
    for c in clients:
        c.running = False
    await asyncio.wait([c.done for c in clients], timeout=10)
    total_ok = sum(c.ok for c in clients)
    return {"rate": ok / elapsed, "ok": ok, "other": other, "seconds": elapsed, "total_ok": total_ok,
            "total_other": sum(c.other for c in clients)}


def measure_posts(server, connections, seconds, warmup):
    reader = subprocess.Popen([sys.executable, "-c", READER, server.url], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    Server.helpers.add(reader.pid)
    try:
        connection_id = reader.stdout.readline().strip()
        if not connection_id:
            raise RuntimeError("the reading client got no connection id")
        cpu_before = cpu_seconds(server.pid)
        result = asyncio.run(post_load(server.http_port, server.stage, connection_id, connections, seconds, warmup))
        result["menort_cpu_seconds"] = cpu_seconds(server.pid) - cpu_before
        reader.stdin.write("%d\n" % result["total_ok"])
        reader.stdin.flush()
        result["frames_read"] = int(reader.stdout.readline().strip() or 0)
        reader.wait(30)
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()
    return result


# --- main ------------------------------------------------------------------------------------

def _interrupt(signum, frame):
    raise KeyboardInterrupt

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--menort", required=True)
    parser.add_argument("--template", default=FIXTURE)
    parser.add_argument("--quick", action="store_true", help="fewer messages and shorter runs (a smoke test)")
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--json", help="write every number here")
    args = parser.parse_args()
    # SIGTERM (make killed, a CI timeout) unwinds like Ctrl-C, so each server is stopped.
    signal.signal(signal.SIGTERM, _interrupt)
    menort = os.path.abspath(args.menort)
    template = os.path.abspath(args.template)
    try:
        import websockets  # noqa: F401
    except ImportError:
        sys.exit("bench-local: the Python package websockets is missing (pip install websockets)")
    if not shutil.which("node"):
        sys.exit("bench-local: node is missing (the fixture's handlers are Node.js)")
    check = subprocess.run([menort, "validate", "--strict", template], capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit("bench-local: the fixture fails `menort validate --strict`:\n" + check.stdout + check.stderr)
    fds = raise_fd_limit()
    become_subreaper()
    blocks, per_block, warmup = (4, 50, 50) if args.quick else (10, 200, 200)
    split_blocks = 1 if args.quick else 10
    post_seconds, post_warmup = (2, 0.5) if args.quick else (5, 1)

    results = {"machine": {"cpus": os.cpu_count(), "load": os.getloadavg(), "fd_limit": fds}}
    stops = []
    print("menort local bench: %s (no-op Node.js handlers, node %s; load average %.2f)" % (
        os.path.relpath(template, ROOT), subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip(),
        os.getloadavg()[0]), flush=True)

    # 1. Round trip, quiet (the target), then the split with REPORT lines.
    with Server(menort, template) as server:
        echo, ping = asyncio.run(round_trips(server.url, blocks, per_block, warmup))
        stops.append(("round trip", server.stop(), server.leftovers))
    results["echo"] = summary(echo)
    results["ping"] = summary(ping)
    with tempfile.NamedTemporaryFile(prefix="menort-bench-local-", suffix=".log", delete=False) as log:
        log_path = log.name
    try:
        with Server(menort, template, quiet=False, log_path=log_path) as server:
            logged_echo, logged_ping = asyncio.run(round_trips(server.url, split_blocks, per_block, warmup))
            stops.append(("split (logged)", server.stop(), server.leftovers))
        durations = report_durations(log_path)
    finally:
        os.unlink(log_path)
    if len(durations) != warmup + len(logged_echo):
        sys.exit("bench-local: %d REPORT lines of EchoFunction for %d messages" % (len(durations), warmup + len(logged_echo)))
    durations = durations[warmup:]
    outside = [rtt - d for rtt, d in zip(logged_echo, durations)]
    results["logged_echo"] = summary(logged_echo)
    results["logged_ping"] = summary(logged_ping)
    results["report_duration"] = summary(durations)
    results["outside_worker"] = summary(outside)

    def ms(value):
        return "%7.3f ms" % (value * 1000)

    def row(label, s):
        print("  %-52s median %s   p99 %s" % (label, ms(s["median"]), ms(s["p99"])), flush=True)

    print("round trips (%d echo and %d ping, one client, one message at a time):" % (len(echo), len(ping)))
    row("echo through the warm no-op handler (--quiet)", results["echo"])
    row("ping (menort's pong: client + loopback + NIO floor)", results["ping"])
    print("split (logged run, %d messages, each paired with its REPORT line):" % len(durations))
    row("echo round trip (logging on)", results["logged_echo"])
    row("ping (logging on)", results["logged_ping"])
    row("worker leg: REPORT Duration (pipe, bootstrap, handler)", results["report_duration"])
    row("outside the worker: round trip - Duration", results["outside_worker"])
    menort_share = [o - results["logged_ping"]["median"] for o in outside]
    results["menort_gateway"] = summary(menort_share)
    row("  of which menort's gateway (minus the ping floor)", results["menort_gateway"])

    # 2. Concurrent connections.
    with Server(menort, template) as server:
        held = asyncio.run(hold_connections(server.url, args.connections, server.pid))
        stops.append(("%d connections" % args.connections, server.stop(), server.leftovers))
    results["connections"] = held
    per_connection = (held["held"]["VmRSS"] - held["idle"]["VmRSS"]) / max(1, held["count"])
    print("%d concurrent connections (opened in %.2f s), menort's own process:" % (held["count"], held["opened_in"]))
    if held["refused"]:
        print("  %d of %d handshakes refused; the first: %s" % (held["refused"], args.connections, held["first_refusal"]))
    if held["echo_failed"]:
        print("  %d of %d echoes answered otherwise; the first: %s" % (held["echo_failed"], held["count"], held["first_wrong_echo"]))
    print("  %-52s %7.1f MiB" % ("VmRSS serving, no connections", held["idle"]["VmRSS"] / 1024))
    print("  %-52s %7.1f MiB  (%.1f KiB a connection)" % ("VmRSS holding them", held["held"]["VmRSS"] / 1024, per_connection))
    print("  %-52s %7.1f MiB" % ("VmRSS after one echo on each", held["after_echo"]["VmRSS"] / 1024))
    print("  %-52s %7.1f MiB" % ("VmHWM (peak)", held["after_echo"]["VmHWM"] / 1024), flush=True)

    # 3. @connections POSTs.
    with Server(menort, template) as server:
        posts = measure_posts(server, 16, post_seconds, post_warmup)
        stops.append(("@connections", server.stop(), server.leftovers))
    results["posts"] = posts
    print("@connections POST (16 keep-alive connections, one request in flight each, %.1f s):" % posts["seconds"])
    print("  %-52s %7.0f /s  (%d answered 200, %d other; %d of %d frames read by the client)" % (
        "POSTs answered", posts["rate"], posts["ok"], posts["other"], posts["frames_read"], posts["total_ok"]))
    print("  %-52s %7.1f us a POST" % ("menort's CPU time", posts["menort_cpu_seconds"] / max(1, posts["total_ok"]) * 1e6), flush=True)

    print("stops (SIGINT):")
    for name, code, leftovers in stops:
        print("  %-52s exit %s, %s" % (name, code, "no process left" if not leftovers else "killed %s" % leftovers))
    results["stops"] = [{"run": n, "exit": c, "leftovers": l} for n, c, l in stops]

    print("\ntargets:")
    failures = 0

    def target(label, ok, detail):
        nonlocal failures
        failures += 0 if ok else 1
        print("  %-4s %-58s %s" % ("ok" if ok else "FAIL", label, detail))

    target("round trip median <= 2 ms (warm no-op Node handler)", results["echo"]["median"] <= 0.002, ms(results["echo"]["median"]).strip())
    target("round trip p99 <= 10 ms", results["echo"]["p99"] <= 0.010, ms(results["echo"]["p99"]).strip())
    hwm = held["after_echo"]["VmHWM"]
    target("%d connections in <= 64 MiB (menort's VmHWM)" % args.connections, hwm <= 64 * 1024 and held["count"] == args.connections and held["echo_failed"] == 0,
           "%.1f MiB%s" % (hwm / 1024, "" if held["count"] == args.connections and not held["echo_failed"] else
                           ", %d held, %d echoes failed" % (held["count"], held["echo_failed"])))
    delivered = posts["frames_read"] == posts["total_ok"] and posts["other"] == 0
    target(">= 5,000 @connections POSTs/s, every frame delivered", posts["rate"] >= 5000 and delivered, "%.0f/s" % posts["rate"])
    clean = all(code == 0 and not leftovers for _, code, leftovers in stops)
    target("every server stopped by SIGINT, exit 0, no process left", clean, "%d of %d" % (sum(1 for _, c, l in stops if c == 0 and not l), len(stops)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
