#!/usr/bin/env python3
"""`menort local` end to end, with real WebSocket clients, real handlers and real SDKs.

    scripts/local-e2e.py --menort .build/debug/menort [unittest options, test names]
    MENORT=.build/debug/menort scripts/local-e2e.py -k chat
    scripts/local-e2e.py --check-peers websockets==17.4 boto3==1.43.108 moto==5.2.5

What runs (`make check-local`, part of `make test`):

* moto's server, in this process on a free port, stands in for DynamoDB. The tables the
  template only takes as parameters (chat, presence, sessions) are created here with boto3;
  the connections table is the template's own, which `menort local --dynamodb-endpoint`
  creates.
* `menort local Tests/Fixtures/local/template.yaml`, which runs the fixture's handlers as
  they are written for Lambda: Python with boto3 ($connect, $disconnect, chat.send,
  presence.update) and Node.js with only its standard library ($default, and ping, a
  two-way route). They reach DynamoDB through AWS_ENDPOINT_URL_DYNAMODB and the clients
  through the API Gateway Management API that menort serves on its own port.
* clients of the `websockets` package, and boto3's `apigatewaymanagementapi` client against
  the local endpoint, check what API Gateway would do.
* `menort init` into a temporary folder, then `menort local` on that project (InitProject):
  the generated Node.js handlers, unedited, with the .env a person makes from the generated
  .env.example and the team's tables created with the keys the handlers say they assume.

Every process started here is ended when the run ends, however it ends, worker processes
included: this process is a child subreaper, so workers that outlive menort are re-parented
to it and found. When a test fails, menort's stderr (its log, with each handler's output) is
printed at the end.

node and python3 (with boto3, as on Lambda's Python runtime) must be on PATH: without them
the run fails at once and says so.
"""
import argparse
import asyncio
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid
from datetime import datetime, timedelta, timezone

# The process tree under menort local (scripts/proctree.py).
from proctree import become_subreaper, descendants, process_table, reap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TEMPLATE = os.path.join(ROOT, "Tests", "Fixtures", "local", "template.yaml")
REGION = "us-east-1"
STAGE = "prod"
# Parameter → table name. Chat, presence and sessions exist before the stack (created here);
# the connections table is the template's ConnectionsTable, created by menort.
TABLES = {
    "ChatTableName": "e2e-chat",
    "PresenceTableName": "e2e-presence",
    "SessionTableName": "e2e-sessions",
    "ConnectionsTableName": "e2e-connections",
}
CONNECTIONS_INDEX = "connectionId-index"
# How long a test waits for something that should take milliseconds.
FRAME_TIMEOUT = 10
URL_TIMEOUT = 30
EXIT_TIMEOUT = 15
# Credentials for the SDK clients of this script; menort's own environment has none, so it
# gives the handlers its dummy ones.
TEST_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def fail_loudly(message):
    print("local-e2e: " + message, file=sys.stderr)
    sys.exit(1)


def check_peers(pins):
    """Exit 0 when every `name==version` of `pins` is the installed version, else 1."""
    from importlib.metadata import PackageNotFoundError, version
    wrong = []
    for pin in pins:
        name, _, wanted = pin.partition("==")
        name = name.split("[")[0]
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != wanted:
            wrong.append("%s %s installed, %s wanted" % (name, installed or "not", wanted))
    if any(pin.startswith("moto[server]") for pin in pins):
        try:
            import moto.server  # noqa: F401  (Flask and the other server extras)
        except ImportError as error:
            wrong.append("moto's server extras are missing (%s)" % error)
    if wrong:
        fail_loudly("; ".join(wrong))
    sys.exit(0)


def preflight():
    """The interpreters menort local runs handlers with, and the packages this script uses."""
    missing = [tool for tool in ("node", "python3") if shutil.which(tool) is None]
    if missing:
        fail_loudly("%s not on PATH: menort local runs the fixture's Node.js handlers with node and its "
                    "Python handlers with python3, so this test cannot run (apt-get install nodejs python3)"
                    % " and ".join(missing))
    node = subprocess.run(["node", "-e", "process.stdout.write(String(typeof fetch))"], capture_output=True, text=True)
    if node.returncode != 0 or node.stdout != "function":
        fail_loudly("node has no global fetch (Node.js 18 or later is needed): " + (node.stderr.strip() or node.stdout))
    probe = subprocess.run(["python3", "-c", "import boto3"], capture_output=True, text=True)
    if probe.returncode != 0:
        fail_loudly("python3 on PATH cannot import boto3, which Lambda's Python runtime provides and the "
                    "fixture's handlers use: `make peers` installs it\n" + probe.stderr.strip())
    try:
        import boto3  # noqa: F401
        import moto.server  # noqa: F401
        import websockets  # noqa: F401
    except ImportError as error:
        fail_loudly("%s: `make peers` installs the pinned websockets, boto3 and moto[server]" % error)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# MARK: - Processes


def command_line(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def orphans(known):
    """Descendants of this process that are neither one of `known` nor below one of them."""
    me = os.getpid()
    table = process_table()
    below_known = set()
    for pid in known:
        below_known.update(descendants(pid))
    return [pid for pid, (parent, state) in table.items()
            if parent == me and state != "Z" and pid not in known and pid not in below_known]


def kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Menort:
    """One `menort local` process: its URL, its whole stderr, and its workers ended with it."""

    started = []  # every instance, for the report and the final sweep

    def __init__(self, binary, options, name, template=TEMPLATE, cwd=ROOT):
        self.name = name
        self.port = free_port()
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("AWS_ACCESS_KEY", "AWS_SECRET", "AWS_SESSION", "AWS_PROFILE", "AWS_ENDPOINT_URL",
                                      "AWS_DEFAULT_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"))}
        env["AWS_CONFIG_FILE"] = env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
        self.argv = [binary, "local", template, "--port", str(self.port), "--host", "127.0.0.1", "--region", REGION] + options
        self.stdout_lines = []
        self.stderr_lines = []
        self.lines = queue.Queue()
        self.process = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        env=env, cwd=cwd, start_new_session=True)
        Menort.started.append(self)
        self.workers = set()
        threading.Thread(target=self._read, args=(self.process.stdout, self.stdout_lines, True), daemon=True).start()
        self.stderr_reader = threading.Thread(target=self._read, args=(self.process.stderr, self.stderr_lines, False), daemon=True)
        self.stderr_reader.start()
        self.url = None

    @classmethod
    def listening(cls, *args, **kwargs):
        """A `menort local` that printed its URL; stopped (and the error raised) when it did not."""
        gateway = cls(*args, **kwargs)
        try:
            gateway.wait_for_url()
        except BaseException:
            gateway.stop()
            raise
        return gateway

    def _read(self, stream, lines, announce):
        for raw in stream:
            line = raw.decode(errors="replace").rstrip("\n")
            lines.append(line)
            if announce:
                self.lines.put(line)
        if announce:
            self.lines.put(None)

    def stderr_tail(self, count=40):
        tail = self.stderr_lines[-count:]
        return "\n".join("    " + line for line in tail) if tail else "    (nothing on stderr)"

    def wait_for_url(self, timeout=URL_TIMEOUT):
        """The one line menort prints on stdout once it listens."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                line = self.lines.get(timeout=max(left, 0.01))
            except queue.Empty:
                raise RuntimeError("%s: `%s` printed no URL on stdout within %d s; its stderr ends with:\n%s"
                                   % (self.name, " ".join(self.argv), timeout, self.stderr_tail()))
            if line is None:
                code = self.process.wait(timeout=5)
                self.stderr_reader.join(timeout=2)
                raise RuntimeError("%s: `%s` exited %s before printing its URL; its stderr ends with:\n%s"
                                   % (self.name, " ".join(self.argv), code, self.stderr_tail()))
            if line.strip():
                self.url = line.strip()
                self.remember_workers()
                return self.url

    def remember_workers(self):
        """Notes menort's current worker processes, to end them even if menort cannot."""
        if self.process.poll() is None:
            self.workers.update(descendants(self.process.pid))

    @property
    def management_endpoint(self):
        return "http://127.0.0.1:%d/%s" % (self.port, STAGE)

    def interrupt(self):
        self.remember_workers()
        self.process.send_signal(signal.SIGINT)

    def stop(self):
        """SIGINT (what a person's Ctrl-C sends), then SIGKILL for whatever is left."""
        if self.process.poll() is None:
            self.interrupt()
            try:
                self.process.wait(timeout=EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                print("local-e2e: %s did not exit %d s after SIGINT; killing it" % (self.name, EXIT_TIMEOUT), file=sys.stderr)
                try:
                    os.killpg(self.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.process.wait()
        kill(self.workers)


# MARK: - DynamoDB (moto)

class Moto:
    def __init__(self):
        import logging

        from moto.server import ThreadedMotoServer
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self.port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()
        self.endpoint = "http://127.0.0.1:%d" % self.port

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self.server = None


def dynamodb_client(endpoint):
    import boto3
    from botocore.config import Config
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name=REGION, config=Config(retries={"max_attempts": 2}),
                        **TEST_CREDENTIALS)


def management_client(endpoint):
    import boto3
    from botocore.config import Config
    return boto3.client("apigatewaymanagementapi", endpoint_url=endpoint, region_name=REGION,
                        config=Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=FRAME_TIMEOUT),
                        **TEST_CREDENTIALS)


def table_params():
    """`--param Name=table` for each of TABLES."""
    return [arg for key, value in TABLES.items() for arg in ("--param", "%s=%s" % (key, value))]


def create_parameter_tables(client):
    """The tables the stack takes as parameters, keyed as the fixture's handlers use them."""
    keys = {
        TABLES["ChatTableName"]: [("sessionId", "HASH"), ("messageId", "RANGE")],
        TABLES["PresenceTableName"]: [("sessionId", "HASH"), ("connectionId", "RANGE")],
        TABLES["SessionTableName"]: [("sessionId", "HASH")],
    }
    for name, schema in keys.items():
        client.create_table(
            TableName=name, BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"} for key, _ in schema],
            KeySchema=[{"AttributeName": key, "KeyType": kind} for key, kind in schema])


def connection_rows(client, connection_id):
    """The connections table's rows of one connection, through its GSI (as $disconnect finds them)."""
    return client.query(TableName=TABLES["ConnectionsTableName"], IndexName=CONNECTIONS_INDEX,
                        KeyConditionExpression="connectionId = :c",
                        ExpressionAttributeValues={":c": {"S": connection_id}})["Items"]


def session_rows(client, session_id):
    return client.query(TableName=TABLES["ConnectionsTableName"], KeyConditionExpression="sessionId = :s",
                        ExpressionAttributeValues={":s": {"S": session_id}})["Items"]


async def eventually(probe, what, timeout=FRAME_TIMEOUT):
    """Polls `probe` (a blocking call, run off the loop) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = await asyncio.to_thread(probe)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("%s: still not so after %d s" % (what, timeout))
        await asyncio.sleep(0.1)


# MARK: - Clients

class Client:
    """A WebSocket client that keeps the frames no test has looked for yet."""

    def __init__(self, ws, name):
        self.ws = ws
        self.name = name
        self.pending = []
        self.seen = []

    @classmethod
    async def open(cls, url, query, name="client"):
        from websockets.asyncio.client import connect
        ws = await connect(url + query, proxy=None, open_timeout=FRAME_TIMEOUT, close_timeout=5)
        return cls(ws, name)

    async def send(self, message):
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    @staticmethod
    def parse(frame):
        try:
            return json.loads(frame)
        except (TypeError, ValueError):
            return frame

    async def expect(self, matches, what, timeout=FRAME_TIMEOUT):
        """The first frame (parsed JSON, or the raw text) for which `matches` is true."""
        for index, frame in enumerate(self.pending):
            if matches(frame):
                return self.pending.pop(index)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("%s never received %s within %d s; frames it got: %s"
                                     % (self.name, what, timeout, json.dumps(self.seen)[:2000]))
            try:
                raw = await asyncio.wait_for(self.ws.recv(), left)
            except asyncio.TimeoutError:
                continue
            frame = self.parse(raw)
            self.seen.append(frame)
            if matches(frame):
                return frame
            self.pending.append(frame)

    async def ping(self, **extra):
        """Calls the two-way ping route; its pong frame (the handler's body)."""
        nonce = uuid.uuid4().hex
        await self.send(dict({"action": "ping", "nonce": nonce}, **extra))
        return await self.expect(
            lambda f: isinstance(f, dict) and f.get("action") == "pong" and (f.get("received") or {}).get("nonce") == nonce,
            "the pong of ping %s" % nonce)

    async def connection_id(self):
        return (await self.ping())["connectionId"]

    async def closed(self, timeout=FRAME_TIMEOUT):
        """Waits until the server closes the connection; its close code (None if none was sent)."""
        from websockets.exceptions import ConnectionClosed
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                raw = await asyncio.wait_for(self.ws.recv(), deadline - time.monotonic())
                self.seen.append(self.parse(raw))
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        except asyncio.TimeoutError:
            pass
        raise AssertionError("%s is still open %d s later" % (self.name, timeout))

    async def close(self):
        await self.ws.close()


def is_action(action):
    return lambda frame: isinstance(frame, dict) and frame.get("action") == action


# MARK: - The shared gateway

MENORT_BINARY = None
moto = None
gateway = None
dynamodb = None


def setUpModule():
    global moto, gateway, dynamodb
    moto = Moto()
    dynamodb = dynamodb_client(moto.endpoint)
    create_parameter_tables(dynamodb)
    gateway = Menort.listening(MENORT_BINARY, ["--dynamodb-endpoint", moto.endpoint] + table_params(), "menort local")


def tearDownModule():
    if gateway is not None:
        gateway.stop()
    if moto is not None:
        moto.stop()


class GatewayTestCase(unittest.IsolatedAsyncioTestCase):
    """Tests against the shared gateway; each uses sessions of its own."""

    @property
    def url(self):
        return gateway.url

    def new_session(self):
        return "session-" + uuid.uuid4().hex[:12]

    async def client(self, session_id, name="client"):
        client = await Client.open(self.url, "?sessionId=" + session_id, name)
        self.addAsyncCleanup(client.close)
        return client

    def management(self):
        return management_client(gateway.management_endpoint)


class StartUp(GatewayTestCase):
    def test_menort_prints_exactly_one_stdout_line_the_ws_url_of_the_stage(self):
        self.assertEqual(gateway.url, "ws://127.0.0.1:%d/%s" % (gateway.port, STAGE))
        self.assertEqual(gateway.stdout_lines, [gateway.url])

    def test_the_connections_table_is_created_in_dynamodb_with_its_index_and_ttl(self):
        table = dynamodb.describe_table(TableName=TABLES["ConnectionsTableName"])["Table"]
        self.assertEqual(sorted((k["AttributeName"], k["KeyType"]) for k in table["KeySchema"]),
                         [("connectionId", "RANGE"), ("sessionId", "HASH")])
        indexes = {index["IndexName"]: index for index in table.get("GlobalSecondaryIndexes", [])}
        self.assertIn(CONNECTIONS_INDEX, indexes)
        self.assertEqual(indexes[CONNECTIONS_INDEX]["KeySchema"], [{"AttributeName": "connectionId", "KeyType": "HASH"}])
        ttl = dynamodb.describe_time_to_live(TableName=TABLES["ConnectionsTableName"])["TimeToLiveDescription"]
        self.assertEqual((ttl.get("TimeToLiveStatus"), ttl.get("AttributeName")), ("ENABLED", "expiresAt"))


class Connect(GatewayTestCase):
    async def test_connect_with_a_session_id_writes_the_connection_row_with_a_future_ttl(self):
        session = self.new_session()
        client = await self.client(session)
        connection_id = await client.connection_id()
        rows = connection_rows(dynamodb, connection_id)
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0]["sessionId"]["S"], session)
        self.assertGreater(int(rows[0]["expiresAt"]["N"]), time.time() + 60)

    async def assertHandshakeRefused(self, query, status):
        from websockets.exceptions import InvalidStatus
        with self.assertRaises(InvalidStatus) as refused:
            client = await Client.open(self.url, query)
            await client.close()
        self.assertEqual(refused.exception.response.status_code, status)

    async def test_a_percent_encoded_session_id_reaches_connect_decoded(self):
        client = await Client.open(self.url, "?sessionId=room%20one%2Fa%26b", "client")
        self.addAsyncCleanup(client.close)
        rows = connection_rows(dynamodb, await client.connection_id())
        self.assertEqual([row["sessionId"]["S"] for row in rows], ["room one/a&b"])

    async def test_connect_selects_the_subprotocol_its_handler_returns(self):
        from websockets.asyncio.client import connect
        ws = await connect(self.url + "?sessionId=" + self.new_session(), proxy=None, open_timeout=FRAME_TIMEOUT,
                           subprotocols=["meno.v0", "meno.v1"])
        self.addAsyncCleanup(ws.close)
        self.assertEqual(ws.subprotocol, "meno.v1")

    async def test_connect_with_reject_1_fails_the_handshake_with_401(self):
        await self.assertHandshakeRefused("?sessionId=%s&reject=1" % self.new_session(), 401)

    async def test_connect_without_a_session_id_fails_the_handshake_with_401(self):
        await self.assertHandshakeRefused("", 401)

    async def test_a_refused_connect_leaves_no_row_and_the_gateway_keeps_serving(self):
        session = self.new_session()
        await self.assertHandshakeRefused("?sessionId=%s&reject=1" % session, 401)
        self.assertEqual(session_rows(dynamodb, session), [])
        client = await self.client(session)
        self.assertTrue(await client.connection_id())


class Messages(GatewayTestCase):
    async def test_chat_send_from_one_client_reaches_both_clients_of_the_session(self):
        session = self.new_session()
        alice, bob = await self.client(session, "alice"), await self.client(session, "bob")
        await bob.connection_id()  # bob's $connect has run: his row exists
        alice_id = await alice.connection_id()
        text = "hello " + uuid.uuid4().hex
        await alice.send({"action": "chat.send", "text": text})
        for client in (alice, bob):
            frame = await client.expect(is_action("chat.message"), "the chat.message")
            self.assertEqual((frame["text"], frame["from"], frame["sessionId"]), (text, alice_id, session))

    async def test_chat_send_does_not_reach_a_client_of_another_session(self):
        session = self.new_session()
        alice, bob = await self.client(session, "alice"), await self.client(self.new_session(), "bob")
        await bob.connection_id()
        await alice.connection_id()
        await alice.send({"action": "chat.send", "text": "just for my session"})
        await alice.expect(is_action("chat.message"), "her own chat.message")
        await bob.ping()
        self.assertEqual([f for f in bob.seen if isinstance(f, dict) and f.get("action") == "chat.message"], [])

    async def test_chat_send_stores_the_message_in_the_chat_table(self):
        session = self.new_session()
        alice = await self.client(session, "alice")
        await alice.connection_id()
        await alice.send({"action": "chat.send", "text": "kept"})
        frame = await alice.expect(is_action("chat.message"), "the chat.message")
        item = dynamodb.get_item(TableName=TABLES["ChatTableName"],
                                 Key={"sessionId": {"S": session}, "messageId": {"S": frame["messageId"]}}).get("Item")
        self.assertIsNotNone(item)
        self.assertEqual(item["text"]["S"], "kept")

    async def test_chat_send_deletes_the_row_of_a_connection_that_is_gone(self):
        session = self.new_session()
        alice = await self.client(session, "alice")
        await alice.connection_id()
        stale = "c" + uuid.uuid4().hex[:11] + "="  # shaped like API Gateway's ids, never connected
        dynamodb.put_item(TableName=TABLES["ConnectionsTableName"], Item={
            "sessionId": {"S": session}, "connectionId": {"S": stale}, "expiresAt": {"N": str(int(time.time()) + 600)}})
        await alice.send({"action": "chat.send", "text": "anyone there?"})
        await alice.expect(is_action("chat.message"), "the chat.message")
        await eventually(lambda: not connection_rows(dynamodb, stale), "the gone connection's row is deleted")

    async def test_presence_update_writes_the_status_to_the_presence_table(self):
        session = self.new_session()
        client = await self.client(session)
        connection_id = await client.connection_id()
        await client.send({"action": "presence.update", "status": "typing"})
        frame = await client.expect(is_action("presence.changed"), "the presence.changed")
        self.assertEqual(frame["status"], "typing")
        item = dynamodb.get_item(TableName=TABLES["PresenceTableName"],
                                 Key={"sessionId": {"S": session}, "connectionId": {"S": connection_id}}).get("Item")
        self.assertIsNotNone(item, "no presence row")
        self.assertEqual(item["status"]["S"], "typing")

    async def test_an_unknown_action_lands_in_default_which_answers_the_sender(self):
        client = await self.client(self.new_session())
        connection_id = await client.connection_id()
        message = json.dumps({"action": "no.such.route", "n": 1})
        await client.send(message)
        frame = await client.expect(lambda f: isinstance(f, dict) and f.get("error") == "unknown action",
                                    "$default's unknown action frame")
        self.assertEqual((frame["action"], frame["received"], frame["connectionId"]), ("no.such.route", message, connection_id))

    async def test_a_message_that_is_not_json_lands_in_default(self):
        client = await self.client(self.new_session())
        await client.send("hello, not JSON")
        frame = await client.expect(lambda f: isinstance(f, dict) and f.get("error") == "unknown action",
                                    "$default's unknown action frame")
        self.assertEqual((frame["action"], frame["received"]), (None, "hello, not JSON"))

    async def test_a_json_message_without_an_action_lands_in_default(self):
        client = await self.client(self.new_session())
        await client.send('{"text": "no action here"}')
        frame = await client.expect(lambda f: isinstance(f, dict) and f.get("error") == "unknown action",
                                    "$default's unknown action frame")
        self.assertEqual(frame["received"], '{"text": "no action here"}')

    async def test_a_handler_that_raises_sends_the_internal_server_error_frame(self):
        client = await self.client(self.new_session())
        connection_id = await client.connection_id()
        await client.send({"action": "chat.send"})  # no text: chat.send raises ValueError
        frame = await client.expect(lambda f: isinstance(f, dict) and f.get("message") == "Internal server error",
                                    "the Internal server error frame")
        self.assertEqual(frame["connectionId"], connection_id)
        self.assertTrue(frame.get("requestId"))

    async def test_the_two_way_route_sends_the_handlers_body_back(self):
        client = await self.client(self.new_session())
        pong = await client.ping(n=42)
        self.assertEqual((pong["routeKey"], pong["stage"], pong["received"]["n"]), ("ping", STAGE, 42))
        self.assertEqual(pong["functionName"], "menort-local-PingFunction")
        self.assertTrue(pong["connectionId"] and pong["requestId"])

    async def test_a_message_event_carries_api_gateways_request_context(self):
        client = await self.client(self.new_session())
        pong = await client.ping()
        context = pong["requestContext"]
        self.assertEqual((context["routeKey"], context["eventType"], context["messageDirection"], context["stage"]),
                         ("ping", "MESSAGE", "IN", STAGE))
        self.assertEqual(context["connectionId"], pong["connectionId"])
        self.assertEqual(context["domainName"], "127.0.0.1:%d" % gateway.port)
        self.assertEqual(context["identity"]["sourceIp"], "127.0.0.1")
        self.assertTrue(context["messageId"] and context["apiId"] and context["extendedRequestId"])
        self.assertLessEqual(context["connectedAt"], context["requestTimeEpoch"])
        self.assertIs(pong["isBase64Encoded"], False)

    async def test_a_100_kb_message_in_32_kb_frames_reaches_its_route(self):
        # API Gateway's quotas: 32 KB per frame, 128 KB per message.
        client = await self.client(self.new_session())
        message = json.dumps({"action": "ping", "nonce": "large", "pad": "x" * 100_000})
        await client.ws.send([message[i:i + 32 * 1024] for i in range(0, len(message), 32 * 1024)])
        pong = await client.expect(is_action("pong"), "the pong of the 100 KB message")
        self.assertEqual(len(pong["received"]["pad"]), 100_000)

    async def test_a_message_over_128_kb_closes_the_connection_with_1009(self):
        client = await self.client(self.new_session())
        await client.connection_id()
        message = json.dumps({"action": "ping", "pad": "x" * (129 * 1024)})
        await client.ws.send([message[i:i + 32 * 1024] for i in range(0, len(message), 32 * 1024)])
        self.assertEqual(await client.closed(), 1009)

    async def test_a_frame_over_32_kb_closes_the_connection_with_1009(self):
        client = await self.client(self.new_session())
        await client.connection_id()
        await client.send({"action": "ping", "pad": "x" * (33 * 1024)})
        self.assertEqual(await client.closed(), 1009)

    async def test_a_message_whose_action_is_disconnect_lands_in_default_not_in_disconnect(self):
        # $connect and $disconnect are called for connection events only; a message is
        # matched against the custom routes, else $default (websocket-api-develop-routes).
        client = await self.client(self.new_session())
        connection_id = await client.connection_id()
        await client.send({"action": "$disconnect"})
        frame = await client.expect(lambda f: isinstance(f, dict) and f.get("error") == "unknown action",
                                    "$default's unknown action frame")
        self.assertEqual(frame["action"], "$disconnect")
        self.assertEqual(len(connection_rows(dynamodb, connection_id)), 1, "$disconnect ran on a message")

    async def test_a_message_whose_action_is_connect_lands_in_default_not_in_connect(self):
        client = await self.client(self.new_session())
        await client.connection_id()
        await client.send({"action": "$connect"})
        frame = await client.expect(lambda f: isinstance(f, dict) and f.get("error") == "unknown action",
                                    "$default's unknown action frame")
        self.assertEqual(frame["action"], "$connect")

    async def test_handler_output_reaches_menorts_stderr_prefixed_by_the_function(self):
        client = await self.client(self.new_session())
        connection_id = await client.connection_id()
        action = "log.me." + uuid.uuid4().hex[:8]
        await client.send({"action": action})  # $default (Node.js) logs it with console.log
        await client.expect(lambda f: isinstance(f, dict) and f.get("action") == action, "$default's answer")
        await client.close()  # $disconnect (Python) prints the connection it forgot
        await eventually(lambda: not connection_rows(dynamodb, connection_id), "$disconnect removed the row")
        await eventually(lambda: any(line.startswith("[DisconnectFunction] disconnected " + connection_id)
                                     for line in gateway.stderr_lines), "the Python handler's print on stderr", timeout=3)
        node = [line for line in gateway.stderr_lines if action in line]
        self.assertTrue(node and all(line.startswith("[DefaultFunction] ") for line in node), node)

    async def test_a_one_way_route_sends_nothing_back_of_its_own(self):
        client = await self.client(self.new_session())
        await client.connection_id()
        await client.send({"action": "presence.update", "status": "away"})
        await client.expect(is_action("presence.changed"), "the presence.changed")
        await client.ping()  # anything presence.update sent back has arrived by now
        extra = [f for f in client.seen if not (isinstance(f, dict) and f.get("action") in ("pong", "presence.changed"))]
        self.assertEqual(extra, [])


class Connections(GatewayTestCase):
    async def test_closing_a_client_runs_disconnect_which_removes_its_row(self):
        session = self.new_session()
        client = await self.client(session)
        connection_id = await client.connection_id()
        self.assertEqual(len(connection_rows(dynamodb, connection_id)), 1)
        await client.close()
        await eventually(lambda: not connection_rows(dynamodb, connection_id), "$disconnect removed the row")

    async def test_posting_to_a_closed_connection_raises_gone_exception_410(self):
        client = await self.client(self.new_session())
        connection_id = await client.connection_id()
        await client.close()
        await eventually(lambda: not connection_rows(dynamodb, connection_id), "$disconnect removed the row")
        management = self.management()
        with self.assertRaises(management.exceptions.GoneException) as gone:
            await asyncio.to_thread(management.post_to_connection, ConnectionId=connection_id, Data=b"too late")
        self.assertEqual(gone.exception.response["ResponseMetadata"]["HTTPStatusCode"], 410)

    async def test_posting_through_the_sdk_reaches_the_client(self):
        client = await self.client(self.new_session())
        connection_id = await client.connection_id()
        await asyncio.to_thread(self.management().post_to_connection, ConnectionId=connection_id, Data=b'{"action":"sdk.hello"}')
        frame = await client.expect(is_action("sdk.hello"), "the frame posted with boto3")
        self.assertEqual(frame, {"action": "sdk.hello"})

    async def test_posting_more_than_128_kb_raises_payload_too_large_413(self):
        client = await self.client(self.new_session())
        connection_id = await client.connection_id()
        management = self.management()
        with self.assertRaises(management.exceptions.PayloadTooLargeException) as refused:
            await asyncio.to_thread(management.post_to_connection, ConnectionId=connection_id, Data=b"x" * (128 * 1024 + 1))
        self.assertEqual(refused.exception.response["ResponseMetadata"]["HTTPStatusCode"], 413)

    async def test_get_connection_of_an_id_that_never_connected_raises_gone_exception(self):
        management = self.management()
        with self.assertRaises(management.exceptions.GoneException):
            await asyncio.to_thread(management.get_connection, ConnectionId="neverConnected0=")

    async def test_get_connection_returns_connected_at_and_the_source_ip(self):
        before = datetime.now(timezone.utc) - timedelta(seconds=5)
        client = await self.client(self.new_session())
        connection_id = await client.connection_id()
        answer = await asyncio.to_thread(self.management().get_connection, ConnectionId=connection_id)
        self.assertEqual(answer["Identity"]["SourceIp"], "127.0.0.1")
        self.assertGreaterEqual(answer["ConnectedAt"], before)
        self.assertLessEqual(answer["ConnectedAt"], datetime.now(timezone.utc) + timedelta(seconds=5))

    async def test_delete_connection_closes_the_client_and_runs_disconnect(self):
        client = await self.client(self.new_session())
        connection_id = await client.connection_id()
        await asyncio.to_thread(self.management().delete_connection, ConnectionId=connection_id)
        await client.closed()
        await eventually(lambda: not connection_rows(dynamodb, connection_id), "$disconnect removed the row")


def gateway_sockets(port):
    """Inodes of the TCP sockets whose local port is `port` (the listener and its connections)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                rows = f.read().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    return inodes


def sockets_of(pid):
    found = set()
    try:
        for fd in os.listdir("/proc/%d/fd" % pid):
            try:
                target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
            except OSError:
                continue
            if target.startswith("socket:["):
                found.add(target[len("socket:["):-1])
    except OSError:
        pass
    return found


class OwnGateway(unittest.IsolatedAsyncioTestCase):
    """A gateway of its own, started with --idle-timeout, whose workers start while clients
    are connected (in the shared one, earlier tests may have started them already)."""

    IDLE_SECONDS = 3

    @classmethod
    def setUpClass(cls):
        cls.gateway = Menort.listening(MENORT_BINARY, ["--dynamodb-endpoint", moto.endpoint, "--idle-timeout", str(cls.IDLE_SECONDS)]
                                       + table_params(), "menort local (--idle-timeout %d)" % cls.IDLE_SECONDS)

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()

    async def client(self):
        client = await Client.open(self.gateway.url, "?sessionId=session-" + uuid.uuid4().hex[:12])
        self.addAsyncCleanup(client.close)
        return client

    async def test_closing_a_client_ends_its_tcp_connection_at_once(self):
        client = await self.client()
        await client.connection_id()
        # presence.update's worker starts now, while this client is connected (no other test
        # of this class uses the route): a worker that inherited the connection's socket
        # would keep the connection open after menort closes its end.
        await client.send({"action": "presence.update", "status": "leaving"})
        await client.expect(is_action("presence.changed"), "the presence.changed")
        started = time.monotonic()
        await client.close()  # the client waits (up to close_timeout, 5 s) for the server to end TCP
        elapsed = time.monotonic() - started
        self.assertLess(elapsed, 2.0, "the closing handshake completed, but the server ended the TCP connection only "
                                      "%.1f s later (when the client gave up)" % elapsed)

    async def test_no_worker_process_holds_a_socket_of_the_gateway(self):
        client = await self.client()
        await client.ping()
        self.gateway.remember_workers()
        self.assertTrue(self.gateway.workers, "menort had no worker processes to check")
        listening = gateway_sockets(self.gateway.port)
        held = {pid: command_line(pid) for pid in self.gateway.workers if sockets_of(pid) & listening}
        self.assertEqual(held, {}, "workers holding the gateway's listening socket or a client's connection")

    async def test_an_idle_connection_is_closed_with_1001_after_the_idle_timeout(self):
        client = await self.client()
        connection_id = await client.connection_id()
        started = time.monotonic()
        code = await client.closed(timeout=self.IDLE_SECONDS + 5)
        self.assertEqual(code, 1001)
        self.assertGreaterEqual(time.monotonic() - started, self.IDLE_SECONDS - 0.5)
        await eventually(lambda: not connection_rows(dynamodb, connection_id), "$disconnect removed the row")


class Shutdown(unittest.TestCase):
    """Ctrl-C on a gateway of its own (started with --env-file rather than --param), with two
    clients still connected. setUpClass plays the scenario; each test checks one outcome."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="menort-local-e2e-")
        env_file = os.path.join(cls.folder, ".env")
        with open(env_file, "w") as f:
            f.write("CHAT_TABLE_NAME=%s\nPRESENCE_TABLE_NAME=%s\nSESSION_TABLE_NAME=%s\n"
                    % (TABLES["ChatTableName"], TABLES["PresenceTableName"], TABLES["SessionTableName"]))
        cls.gateway = Menort(MENORT_BINARY, ["--dynamodb-endpoint", moto.endpoint, "--env-file", env_file,
                                             "--param", "ConnectionsTableName=" + TABLES["ConnectionsTableName"]],
                             "menort local (Ctrl-C)")
        try:
            cls.gateway.wait_for_url()
            cls.session = "session-" + uuid.uuid4().hex[:12]
            asyncio.run(cls.play())
        except BaseException:
            cls.gateway.stop()
            raise

    @classmethod
    async def play(cls):
        clients = [await Client.open(cls.gateway.url, "?sessionId=" + cls.session, name) for name in ("carol", "dave")]
        try:
            cls.connection_ids = [await client.connection_id() for client in clients]
            cls.rows_before = len(session_rows(dynamodb, cls.session))
            # PRESENCE_TABLE_NAME comes from the env file: presence.update writes there.
            await clients[0].send({"action": "presence.update", "status": "from-env-file"})
            await clients[0].expect(is_action("presence.changed"), "the presence.changed")
            cls.presence_row = dynamodb.get_item(TableName=TABLES["PresenceTableName"], Key={
                "sessionId": {"S": cls.session}, "connectionId": {"S": cls.connection_ids[0]}}).get("Item")
            cls.gateway.remember_workers()
            cls.workers = set(cls.gateway.workers)
            # The workers run bootstraps menort wrote to a temporary folder of its own.
            cls.bootstrap_folders = {os.path.dirname(argument) for pid in cls.workers
                                     for argument in command_line(pid).split()[1:2] if argument.startswith("/tmp/")}
            cls.gateway.interrupt()
            cls.close_codes = await asyncio.gather(*(client.closed(EXIT_TIMEOUT) for client in clients), return_exceptions=True)
            try:
                cls.exit_code = await asyncio.to_thread(cls.gateway.process.wait, EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                cls.exit_code = "still running %d s after SIGINT" % EXIT_TIMEOUT
            cls.gateway.stop()
        finally:
            for client in clients:
                await client.close()

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)

    def test_the_env_file_gateway_served_both_clients_before_the_interrupt(self):
        self.assertEqual(self.rows_before, 2)

    def test_the_env_files_table_names_reach_the_handlers(self):
        self.assertIsNotNone(self.presence_row, "no presence row in %s" % TABLES["PresenceTableName"])
        self.assertEqual(self.presence_row["status"]["S"], "from-env-file")

    def test_sigint_makes_menort_exit_0(self):
        self.assertEqual(self.gateway.process.returncode, 0, "exit: %s" % self.exit_code)

    def test_sigint_closes_every_client_connection(self):
        for code in self.close_codes:
            self.assertNotIsInstance(code, BaseException)

    def test_sigint_runs_disconnect_for_every_open_connection(self):
        for connection_id in self.connection_ids:
            self.assertEqual(connection_rows(dynamodb, connection_id), [], "row of %s left" % connection_id)

    def test_sigint_removes_the_bootstrap_folder(self):
        self.assertTrue(self.bootstrap_folders, "found no bootstrap folder in the workers' command lines")
        self.assertEqual([folder for folder in self.bootstrap_folders if os.path.exists(folder)], [])

    def test_sigint_leaves_no_worker_process_behind(self):
        self.assertTrue(self.workers, "menort had no worker processes to check")
        deadline = time.monotonic() + 5
        while True:
            reap()
            table = process_table()
            alive = [pid for pid in self.workers if pid in table and table[pid][1] != "Z"]
            if not alive or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual({pid: command_line(pid) for pid in alive}, {})


# MARK: - menort init's project

class InitProject(unittest.IsolatedAsyncioTestCase):
    """`menort init` into an empty folder, then `menort local` on what it wrote: the generated
    Node.js handlers (standard library only) against moto's DynamoDB and menort's Management
    API. The team's tables are created here with the keys the handlers say they assume; the
    deploy values come from the generated .env.example, filled in."""

    TABLES = {"CHAT_TABLE_NAME": "init-chat", "PRESENCE_TABLE_NAME": "init-presence",
              "SESSION_TABLE_NAME": "init-sessions"}
    CONNECTIONS = "init-connections"
    # The keys the generated handlers assume (HandlerScaffold.assumedKeys), written in each one.
    KEYS = {"CHAT_TABLE_NAME": [("sessionId", "HASH"), ("messageId", "RANGE")],
            "PRESENCE_TABLE_NAME": [("sessionId", "HASH"), ("connectionId", "RANGE")],
            "SESSION_TABLE_NAME": [("sessionId", "HASH")]}

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="menort-init-e2e-")
        cls.project = os.path.join(cls.folder, "project")
        init = subprocess.run([MENORT_BINARY, "init", cls.project], capture_output=True, text=True, timeout=60)
        if init.returncode != 0:
            raise RuntimeError("menort init exited %d: %s" % (init.returncode, init.stderr))
        # The .env a person makes from .env.example: the empty (required) values filled in.
        with open(os.path.join(cls.project, ".env.example")) as f:
            example = f.read().splitlines()
        filled, lines = set(), []
        for line in example:
            key = line.split("=", 1)[0]
            if key in cls.TABLES and line == key + "=''":
                line = "%s=%s" % (key, cls.TABLES[key])
                filled.add(key)
            lines.append(line)
        if filled != set(cls.TABLES):
            raise RuntimeError(".env.example has no empty line for %s" % sorted(set(cls.TABLES) - filled))
        with open(os.path.join(cls.project, ".env"), "w") as f:
            f.write("\n".join(lines) + "\n")
        for key, schema in cls.KEYS.items():
            dynamodb.create_table(
                TableName=cls.TABLES[key], BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"} for name, _ in schema],
                KeySchema=[{"AttributeName": name, "KeyType": kind} for name, kind in schema])
        cls.gateway = Menort.listening(MENORT_BINARY, ["--dynamodb-endpoint", moto.endpoint, "--env-file", ".env",
                                                       "--param", "ConnectionsTableName=" + cls.CONNECTIONS],
                                       "menort local (menort init's project)", template="template.yaml", cwd=cls.project)

    @classmethod
    def tearDownClass(cls):
        cls.gateway.stop()
        shutil.rmtree(cls.folder, ignore_errors=True)

    def new_session(self):
        """A session the sessions table holds: $connect refuses any other."""
        session = "session-" + uuid.uuid4().hex[:12]
        dynamodb.put_item(TableName=self.TABLES["SESSION_TABLE_NAME"], Item={"sessionId": {"S": session}})
        return session

    def rows(self, session):
        return dynamodb.query(TableName=self.CONNECTIONS, KeyConditionExpression="sessionId = :s",
                              ExpressionAttributeValues={":s": {"S": session}})["Items"]

    def rows_of(self, connection_id):
        return dynamodb.query(TableName=self.CONNECTIONS, IndexName=CONNECTIONS_INDEX, KeyConditionExpression="connectionId = :c",
                              ExpressionAttributeValues={":c": {"S": connection_id}})["Items"]

    async def connect(self, session, name):
        """A client of `session` and its connection id (read from the row its $connect wrote)."""
        before = {row["connectionId"]["S"] for row in self.rows(session)}
        client = await Client.open(self.gateway.url, "?sessionId=" + session, name)
        self.addAsyncCleanup(client.close)
        rows = await eventually(lambda: [row for row in self.rows(session) if row["connectionId"]["S"] not in before],
                                "%s's connection row" % name)
        return client, rows[0]["connectionId"]["S"]

    async def assertRefused(self, query, status):
        from websockets.exceptions import InvalidStatus
        with self.assertRaises(InvalidStatus) as refused:
            client = await Client.open(self.gateway.url, query)
            await client.close()
        self.assertEqual(refused.exception.response.status_code, status)

    async def test_connect_writes_the_connection_row_with_a_future_ttl_and_marks_presence(self):
        session = self.new_session()
        _, connection_id = await self.connect(session, "alice")
        row = self.rows_of(connection_id)[0]
        self.assertEqual(row["sessionId"]["S"], session)
        self.assertGreater(int(row["expiresAt"]["N"]), time.time() + 3600)
        presence = dynamodb.get_item(TableName=self.TABLES["PRESENCE_TABLE_NAME"], Key={
            "sessionId": {"S": session}, "connectionId": {"S": connection_id}}).get("Item")
        self.assertEqual((presence or {}).get("status"), {"S": "online"})

    async def test_connect_without_a_session_id_is_refused_with_400(self):
        await self.assertRefused("", 400)

    async def test_connect_to_a_session_the_sessions_table_does_not_hold_is_refused_with_401(self):
        session = "unknown-" + uuid.uuid4().hex[:12]
        await self.assertRefused("?sessionId=" + session, 401)
        self.assertEqual(self.rows(session), [])

    async def test_chat_send_from_one_client_reaches_the_other_client_of_the_session(self):
        session = self.new_session()
        alice, alice_id = await self.connect(session, "alice")
        bob, _ = await self.connect(session, "bob")
        text = "hello " + uuid.uuid4().hex
        await alice.send({"action": "chat.send", "text": text})
        for client in (bob, alice):
            frame = await client.expect(lambda f: isinstance(f, dict) and f.get("text") == text, "the chat.send frame")
            self.assertEqual((frame["action"], frame["from"], frame["sessionId"]), ("chat.send", alice_id, session))

    async def test_chat_send_stores_the_message_in_the_chat_table_under_the_assumed_keys(self):
        session = self.new_session()
        alice, _ = await self.connect(session, "alice")
        await alice.send({"action": "chat.send", "text": "kept"})
        frame = await alice.expect(is_action("chat.send"), "the chat.send frame")
        item = dynamodb.get_item(TableName=self.TABLES["CHAT_TABLE_NAME"], Key={
            "sessionId": {"S": session}, "messageId": {"S": frame["messageId"]}}).get("Item")
        self.assertIsNotNone(item, "no chat row")
        self.assertEqual(item["text"]["S"], "kept")

    async def test_chat_send_without_text_is_answered_with_the_reason(self):
        alice, _ = await self.connect(self.new_session(), "alice")
        await alice.send({"action": "chat.send"})
        frame = await alice.expect(lambda f: isinstance(f, dict) and "error" in f, "the refusal")
        self.assertEqual(frame, {"error": "text is missing", "action": "chat.send"})

    async def test_chat_send_deletes_the_row_of_a_connection_that_is_gone(self):
        session = self.new_session()
        alice, _ = await self.connect(session, "alice")
        stale = "c" + uuid.uuid4().hex[:11] + "="  # shaped like API Gateway's ids, never connected
        dynamodb.put_item(TableName=self.CONNECTIONS, Item={
            "sessionId": {"S": session}, "connectionId": {"S": stale}, "expiresAt": {"N": str(int(time.time()) + 600)}})
        await alice.send({"action": "chat.send", "text": "anyone there?"})
        await alice.expect(is_action("chat.send"), "the chat.send frame")
        await eventually(lambda: not self.rows_of(stale), "the gone connection's row is deleted")

    async def test_presence_update_writes_the_status_and_tells_the_session(self):
        session = self.new_session()
        alice, alice_id = await self.connect(session, "alice")
        bob, _ = await self.connect(session, "bob")
        await alice.send({"action": "presence.update", "status": "typing"})
        frame = await bob.expect(is_action("presence.update"), "the presence.update frame")
        self.assertEqual((frame["status"], frame["from"]), ("typing", alice_id))
        item = dynamodb.get_item(TableName=self.TABLES["PRESENCE_TABLE_NAME"], Key={
            "sessionId": {"S": session}, "connectionId": {"S": alice_id}}).get("Item")
        self.assertEqual((item or {}).get("status"), {"S": "typing"})

    async def test_an_unknown_action_is_answered_by_default(self):
        alice, _ = await self.connect(self.new_session(), "alice")
        await alice.send({"action": "no.such.route", "n": 1})
        frame = await alice.expect(lambda f: isinstance(f, dict) and f.get("error") == "unknown action", "$default's answer")
        self.assertEqual(frame, {"error": "unknown action", "action": "no.such.route"})

    async def test_disconnect_deletes_the_connection_row_and_tells_the_session(self):
        session = self.new_session()
        alice, _ = await self.connect(session, "alice")
        bob, bob_id = await self.connect(session, "bob")
        await bob.close()
        await eventually(lambda: not self.rows_of(bob_id), "$disconnect removed bob's row")
        frame = await alice.expect(is_action("disconnected"), "the disconnected frame")
        self.assertEqual(frame, {"action": "disconnected", "sessionId": session, "connectionId": bob_id})
        presence = dynamodb.get_item(TableName=self.TABLES["PRESENCE_TABLE_NAME"], Key={
            "sessionId": {"S": session}, "connectionId": {"S": bob_id}}).get("Item")
        self.assertIsNone(presence)

    async def test_the_handlers_log_no_error(self):
        alice, _ = await self.connect(self.new_session(), "alice")
        await alice.send({"action": "chat.send", "text": "quiet"})
        await alice.expect(is_action("chat.send"), "the chat.send frame")
        errors = [line for line in self.gateway.stderr_lines if " failed:" in line or "ERROR" in line]
        self.assertEqual(errors, [])


# MARK: - Main

def main():
    global MENORT_BINARY
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--menort", default=os.environ.get("MENORT"))
    parser.add_argument("--check-peers", nargs="+", metavar="NAME==VERSION")
    options, rest = parser.parse_known_args()
    if options.check_peers:
        check_peers(options.check_peers)
    preflight()
    binary = options.menort or os.path.join(ROOT, ".build", "debug", "menort")
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        fail_loudly("no menort binary at %s: build it (swift build) or pass --menort PATH / MENORT=PATH" % binary)
    MENORT_BINARY = os.path.abspath(binary)
    # Everything here talks to 127.0.0.1: never through a proxy the environment names.
    for key in ("NO_PROXY", "no_proxy"):
        os.environ[key] = ",".join(filter(None, [os.environ.get(key), "127.0.0.1", "localhost"]))

    become_subreaper()
    # A SIGTERM (a CI time-out, make interrupted) unwinds through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    success = False
    result = None
    try:
        result = unittest.main(module=__name__, argv=[sys.argv[0]] + rest, exit=False, verbosity=2).result
        success = result.wasSuccessful()
    finally:
        known = set()
        for instance in Menort.started:
            instance.stop()
            known.add(instance.process.pid)
        reap()
        left = orphans(known)
        if left:
            print("local-e2e: killing processes left behind: %s"
                  % ", ".join("%d (%s)" % (pid, command_line(pid)) for pid in left), file=sys.stderr)
            kill(left)
            reap()
        if moto is not None:
            moto.stop()
        if not success:
            for instance in Menort.started:
                print("\n---- stderr of %s (%s) ----" % (instance.name, " ".join(instance.argv)), file=sys.stderr)
                print("\n".join(instance.stderr_lines[-300:]) or "(nothing)", file=sys.stderr)
    print("local-e2e: %s in %.1f s" % ("passed" if success else "FAILED", time.monotonic() - started), file=sys.stderr)
    if result is not None:
        for test, _ in result.expectedFailures:
            print("local-e2e: known gap, expected to fail: %s" % test.id().split(".", 1)[1])
        failed = len(result.failures) + len(result.errors) + len(result.unexpectedSuccesses)
        passed = result.testsRun - failed - len(result.skipped)
        print("local-e2e: %d passed, %d failed" % (passed, failed) + (", %d skipped" % len(result.skipped) if result.skipped else ""))
    sys.exit(0 if success else 1)


if __name__ == "__main__":
    main()
