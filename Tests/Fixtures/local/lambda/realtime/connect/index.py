"""$connect: admits a client into a session and records its connection.

The client connects to `wss://…/prod?sessionId=<id>`. Without a sessionId, or with
`reject=1` (how the end-to-end test asks for a refusal), the handler answers 401 and
API Gateway refuses the WebSocket handshake with that status. Otherwise it writes the
connections row that chat.send fans out over; `expiresAt` is the table's TTL attribute,
so rows of connections whose $disconnect never ran age out by themselves.
"""
import os
import time

import boto3

CONNECTION_TTL_SECONDS = 2 * 60 * 60

# Created once per execution environment, as on Lambda: a warm worker reuses it.
connections = boto3.resource("dynamodb").Table(os.environ["CONNECTIONS_TABLE_NAME"])


def handler(event, context):
    query = event.get("queryStringParameters") or {}
    session_id = query.get("sessionId")
    if query.get("reject") == "1" or not session_id:
        return {"statusCode": 401}

    request = event["requestContext"]
    connections.put_item(Item={
        "sessionId": session_id,
        "connectionId": request["connectionId"],
        "connectedAt": int(request.get("connectedAt") or time.time() * 1000),
        "expiresAt": int(time.time()) + CONNECTION_TTL_SECONDS,
    })
    return {"statusCode": 200}
