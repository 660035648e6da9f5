"""$connect: admits a client into a session and records its connection.

The client connects to `wss://…/prod?sessionId=<id>`. Without a sessionId, or with
`reject=1` (how the end-to-end test asks for a refusal), the handler answers 401 and
API Gateway refuses the WebSocket handshake with that status. Otherwise it writes the
connections row that chat.send fans out over; `expiresAt` is the table's TTL attribute,
so rows of connections whose $disconnect never ran age out by themselves.

A client may offer the `meno.v1` subprotocol (Sec-WebSocket-Protocol); the handler then
selects it by returning the header, as API Gateway's subprotocol guide shows.
"""
import os
import time

import boto3

CONNECTION_TTL_SECONDS = 2 * 60 * 60
SUBPROTOCOL = "meno.v1"

# Created once per execution environment, as on Lambda: a warm worker reuses it.
connections = boto3.resource("dynamodb").Table(os.environ["CONNECTIONS_TABLE_NAME"])


def handler(event, context):
    query = event.get("queryStringParameters") or {}
    session_id = query.get("sessionId")
    if query.get("reject") == "1" or not session_id:
        return {"statusCode": 401}

    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    offered = [p.strip() for p in headers.get("sec-websocket-protocol", "").split(",") if p.strip()]

    request = event["requestContext"]
    connections.put_item(Item={
        "sessionId": session_id,
        "connectionId": request["connectionId"],
        "connectedAt": int(request.get("connectedAt") or time.time() * 1000),
        "expiresAt": int(time.time()) + CONNECTION_TTL_SECONDS,
    })
    if SUBPROTOCOL in offered:
        return {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": SUBPROTOCOL}}
    return {"statusCode": 200}
