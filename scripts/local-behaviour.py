#!/usr/bin/env python3
"""What `menort local` does as API Gateway and Lambda do, tried with a real WebSocket client.

Runs the fixture Tests/Fixtures/local-behaviour (one route per behaviour) under
`menort local` and speaks to it with the `websockets` package: two-way routes, warm
workers, Python and Node handlers, binary frames, handler errors, crashes, timeouts,
API Gateway's frame and message limits, $connect refusals, $disconnect's event, idle
connections, edited code, Ctrl-C, and the one-line failures before listening.

    python3 scripts/local-behaviour.py --menort .build/debug/menort [-v]
"""
import argparse
import asyncio
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import websockets
from websockets.exceptions import ConnectionClosed, InvalidStatus

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "local-behaviour")
MENORT = os.environ.get("MENORT", os.path.join(ROOT, ".build", "debug", "menort"))


class Server:
    """`menort local` on a free port, its stderr collected, always stopped."""

    def __init__(self, template, *flags, cwd=None, env=None):
        self.command = [MENORT, "local", template, "--port", "0", *flags]
        self.cwd = cwd
        self.env = env
        self.stderr = []
        self.process = None
        self.url = None

    def __enter__(self):
        self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._drain, daemon=True).start()
        line = self.process.stdout.readline().strip()
        if not line.startswith("ws://"):
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"menort local did not print its URL: {line!r}\n" + self.log())
        self.url = line
        return self

    def _drain(self):
        for line in self.process.stderr:
            self.stderr.append(line)

    def log(self):
        time.sleep(0.05)
        return "".join(self.stderr)

    def wait_for_log(self, text, timeout=5.0):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in "".join(self.stderr):
                return "".join(self.stderr)
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared in menort's stderr:\n" + self.log())

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 20))


async def exchange(url, message, path=""):
    async with websockets.connect(url + path) as ws:
        await ws.send(message)
        return await asyncio.wait_for(ws.recv(), 10)


class TwoWayRoutesAndWorkers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(os.path.join(FIXTURE, "template.yaml"), "--region", "eu-west-1",
                            "--integration-timeout", "2").__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)

    def test_a_two_way_route_sends_the_handlers_body_back(self):
        reply = json.loads(run(exchange(self.server.url, json.dumps({"action": "echo", "text": "hello"}))))
        self.assertEqual(reply["text"], "hello")

    def test_a_warm_worker_keeps_module_state_between_events(self):
        async def twice():
            async with websockets.connect(self.server.url) as ws:
                await ws.send(json.dumps({"action": "echo", "text": "a"}))
                first = json.loads(await ws.recv())
                await ws.send(json.dumps({"action": "echo", "text": "b"}))
                second = json.loads(await ws.recv())
                return first, second
        first, second = run(twice())
        self.assertEqual(second["calls"], first["calls"] + 1)
        self.assertNotEqual(first["requestId"], second["requestId"])

    def test_a_python_handler_runs_with_the_region_and_its_timeout(self):
        reply = json.loads(run(exchange(self.server.url, json.dumps({"action": "py.echo", "text": "py"}))))
        self.assertEqual(reply["text"], "py")
        self.assertEqual(reply["region"], "eu-west-1")
        # LambdaTimeout defaults to 10 s in the fixture.
        self.assertTrue(9000 < reply["remaining"] <= 10000, reply)
        self.server.wait_for_log("[PyEchoFunction] py.echo py")

    def test_an_unknown_action_reaches_default_as_a_message_event(self):
        event = json.loads(run(exchange(self.server.url, json.dumps({"action": "nope"}))))
        context = event["requestContext"]
        self.assertEqual(context["routeKey"], "$default")
        self.assertEqual(context["eventType"], "MESSAGE")
        self.assertEqual(context["messageDirection"], "IN")
        self.assertEqual(context["stage"], "prod")
        self.assertEqual(event["body"], json.dumps({"action": "nope"}))
        self.assertIs(event["isBase64Encoded"], False)
        for key in ("messageId", "requestId", "extendedRequestId", "connectionId", "apiId", "domainName",
                    "connectedAt", "requestTimeEpoch", "requestTime", "identity"):
            self.assertIn(key, context)
        self.assertNotIn("headers", event)

    def test_a_binary_frame_reaches_default_base64_encoded(self):
        payload = bytes(range(256))
        event = json.loads(run(exchange(self.server.url, payload)))
        self.assertIs(event["isBase64Encoded"], True)
        self.assertEqual(base64.b64decode(event["body"]), payload)
        self.assertEqual(event["requestContext"]["routeKey"], "$default")

    def test_overlapping_events_of_one_function_run_at_once_in_separate_workers(self):
        async def go():
            async with websockets.connect(self.server.url) as ws:
                await ws.send(json.dumps({"action": "nap"}))
                await ws.send(json.dumps({"action": "nap"}))
                first = json.loads(await ws.recv())
                second = json.loads(await ws.recv())
                return first["pid"], second["pid"]
        first, second = run(go())
        # The pool starts a second worker only while the first is busy with the other event.
        self.assertNotEqual(first, second)

    def test_a_handler_error_sends_api_gateways_error_frame(self):
        async def go():
            async with websockets.connect(self.server.url) as ws:
                await ws.send(json.dumps({"action": "throw"}))
                return json.loads(await ws.recv())
        frame = run(go())
        self.assertEqual(frame["message"], "Internal server error")
        self.assertEqual(set(frame), {"message", "connectionId", "requestId"})
        self.server.wait_for_log("TypeError: something went wrong")

    def test_a_crashed_worker_answers_with_the_error_frame_and_the_next_event_gets_a_new_one(self):
        async def go():
            async with websockets.connect(self.server.url) as ws:
                frames = []
                for _ in range(2):
                    await ws.send(json.dumps({"action": "crash"}))
                    frames.append(json.loads(await ws.recv()))
                await ws.send(json.dumps({"action": "echo", "text": "still here"}))
                frames.append(json.loads(await ws.recv()))
                return frames
        first, second, after = run(go())
        self.assertEqual(first["message"], "Internal server error")
        self.assertEqual(second["message"], "Internal server error")
        self.assertEqual(after["text"], "still here")

    def test_a_handler_past_its_timeout_is_stopped_and_the_client_gets_the_error_frame(self):
        async def go():
            async with websockets.connect(self.server.url) as ws:
                started = time.monotonic()
                await ws.send(json.dumps({"action": "hang"}))
                frame = json.loads(await ws.recv())
                return frame, time.monotonic() - started
        frame, elapsed = run(go())
        self.assertEqual(frame["message"], "Internal server error")
        self.assertGreaterEqual(elapsed, 0.9)
        self.assertLess(elapsed, 3)
        self.server.wait_for_log("Task timed out after 1.00 seconds")

    def test_api_gateway_stops_waiting_after_the_integration_timeout(self):
        async def go():
            async with websockets.connect(self.server.url) as ws:
                started = time.monotonic()
                await ws.send(json.dumps({"action": "slow"}))
                frame = json.loads(await ws.recv())
                return frame, time.monotonic() - started
        frame, elapsed = run(go())
        self.assertEqual(frame["message"], "Endpoint request timed out")
        self.assertGreaterEqual(elapsed, 1.9)
        self.assertLess(elapsed, 2.9)

    def test_a_frame_over_32_kb_closes_the_connection_with_1009_before_any_handler(self):
        async def go():
            async with websockets.connect(self.server.url, max_size=None) as ws:
                await ws.send(json.dumps({"action": "echo", "text": "x" * (33 * 1024)}))
                with self.assertRaises(ConnectionClosed) as closed:
                    await ws.recv()
                return closed.exception.rcvd.code
        self.assertEqual(run(go()), 1009)
        self.assertIn("frame over 32 KB", self.server.wait_for_log("frame over 32 KB"))
        # $disconnect hears 1009 too, not an abnormal closure (1006).
        self.server.wait_for_log('"disconnectStatusCode":1009')

    def test_a_frame_of_exactly_32_kb_is_delivered(self):
        text = json.dumps({"action": "echo", "text": ""})
        padded = json.dumps({"action": "echo", "text": "y" * (32 * 1024 - len(text))})
        self.assertEqual(len(padded.encode()), 32 * 1024)
        reply = json.loads(run(exchange(self.server.url, padded)))
        self.assertEqual(len(reply["text"]), 32 * 1024 - len(text))

    def test_a_message_over_128_kb_in_small_frames_closes_the_connection_with_1009(self):
        async def go():
            async with websockets.connect(self.server.url) as ws:
                await ws.send(["z" * (30 * 1024) for _ in range(5)])
                with self.assertRaises(ConnectionClosed) as closed:
                    await ws.recv()
                return closed.exception.rcvd.code
        self.assertEqual(run(go()), 1009)
        self.server.wait_for_log("message over 128 KB")

    def test_connect_refuses_the_handshake_with_the_status_the_handler_returns(self):
        async def go():
            with self.assertRaises(InvalidStatus) as refused:
                async with websockets.connect(self.server.url + "?status=403"):
                    pass
            return refused.exception.response.status_code
        self.assertEqual(run(go()), 403)

    def test_connect_that_throws_refuses_the_handshake_with_500(self):
        async def go():
            with self.assertRaises(InvalidStatus) as refused:
                async with websockets.connect(self.server.url + "?throw=1"):
                    pass
            return refused.exception.response.status_code
        self.assertEqual(run(go()), 500)

    def test_closing_the_client_runs_disconnect_with_its_close_code_and_reason(self):
        async def go():
            ws = await websockets.connect(self.server.url + "?who=closer")
            await ws.close(code=4000, reason="bye now")
        run(go())
        log = self.server.wait_for_log('"disconnectReason":"bye now"')
        line = next(l for l in log.splitlines() if '"disconnectReason":"bye now"' in l)
        event = json.loads(line.split("DISCONNECT-EVENT ", 1)[1])
        self.assertEqual(event["requestContext"]["disconnectStatusCode"], 4000)
        self.assertEqual(event["requestContext"]["eventType"], "DISCONNECT")
        self.assertEqual(event["requestContext"]["routeKey"], "$disconnect")


class ConnectionLifetime(unittest.TestCase):
    def test_an_idle_connection_is_closed_with_1001_after_the_idle_timeout(self):
        with Server(os.path.join(FIXTURE, "template.yaml"), "--idle-timeout", "1") as server:
            async def go():
                async with websockets.connect(server.url) as ws:
                    started = time.monotonic()
                    with self.assertRaises(ConnectionClosed) as closed:
                        await ws.recv()
                    return closed.exception.rcvd.code, time.monotonic() - started
            code, elapsed = run(go())
            self.assertEqual(code, 1001)
            self.assertLess(elapsed, 3)
            server.wait_for_log('"disconnectStatusCode":1001')

    def test_edited_code_is_used_from_the_next_event_without_a_restart(self):
        with tempfile.TemporaryDirectory() as folder:
            project = os.path.join(folder, "project")
            shutil.copytree(FIXTURE, project)
            with Server(os.path.join(project, "template.yaml")) as server:
                first = json.loads(run(exchange(server.url, json.dumps({"action": "echo", "text": "1"}))))
                path = os.path.join(project, "lambda", "realtime", "echo", "index.js")
                with open(path) as handle:
                    source = handle.read()
                with open(path, "w") as handle:
                    handle.write(source.replace('"v1"', '"v2"'))
                server.wait_for_log("code changed")
                second = json.loads(run(exchange(server.url, json.dumps({"action": "echo", "text": "2"}))))
                self.assertEqual((first["version"], second["version"]), ("v1", "v2"))

    def test_ctrl_c_runs_disconnect_for_open_connections_and_exits_0(self):
        with Server(os.path.join(FIXTURE, "template.yaml")) as server:
            async def go():
                ws = await websockets.connect(server.url + "?who=open")
                await ws.send(json.dumps({"action": "echo", "text": "warm"}))
                await ws.recv()
                status = await asyncio.get_running_loop().run_in_executor(None, server.stop)
                with self.assertRaises(ConnectionClosed) as closed:
                    await ws.recv()
                return status, closed.exception.rcvd.code if closed.exception.rcvd else None
            status, code = run(go())
            self.assertEqual(status, 0)
            self.assertEqual(code, 1001)
            self.assertIn('"disconnectStatusCode":1001', server.log())


class FailuresBeforeListening(unittest.TestCase):
    def run_menort(self, *args, env=None, cwd=None):
        return subprocess.run([MENORT, "local", *args], capture_output=True, text=True, timeout=30, env=env, cwd=cwd)

    def test_a_port_in_use_is_a_one_line_error_and_exit_2(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            result = self.run_menort(os.path.join(FIXTURE, "template.yaml"), "--port", str(port))
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr, f"menort: cannot listen on 127.0.0.1:{port}: the port is in use (choose another with --port)\n")

    def test_no_node_on_path_is_a_one_line_error_and_exit_2(self):
        env = dict(os.environ, PATH="/nonexistent")
        result = self.run_menort(os.path.join(FIXTURE, "template.yaml"), "--port", "0", env=env)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)
        self.assertIn("there is no node on PATH", result.stderr)

    def test_a_missing_code_folder_is_refused_with_its_location_and_exit_1(self):
        with tempfile.TemporaryDirectory() as folder:
            project = os.path.join(folder, "project")
            shutil.copytree(FIXTURE, project)
            shutil.rmtree(os.path.join(project, "lambda", "realtime", "hang"))
            result = self.run_menort("template.yaml", "--port", "0", cwd=project)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        with open(os.path.join(FIXTURE, "template.yaml")) as handle:
            line = next(number for number, text in enumerate(handle, 1) if "CodeUri: lambda/realtime/hang/" in text)
        self.assertIn(f"template.yaml:{line}:16: error: HangFunction: the code folder lambda/realtime/hang/ does not exist", result.stderr)

    def test_a_template_with_errors_is_refused_with_validates_findings_and_exit_1(self):
        with tempfile.TemporaryDirectory() as folder:
            project = os.path.join(folder, "project")
            shutil.copytree(FIXTURE, project)
            path = os.path.join(project, "template.yaml")
            with open(path) as handle:
                text = handle.read()
            with open(path, "w") as handle:
                handle.write(text.replace("RouteKey: echo\n", "RouteKey: py.echo\n", 1))
            result = self.run_menort("template.yaml", "--port", "0", cwd=project)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout, "")
        self.assertIn("error:", result.stderr)
        self.assertIn("py.echo", result.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menort", default=MENORT)
    options, rest = parser.parse_known_args()
    MENORT = os.path.abspath(options.menort)
    unittest.main(argv=[sys.argv[0], *rest])
