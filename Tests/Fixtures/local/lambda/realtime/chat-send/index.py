"""chat.send: stores a message and posts it to every connection of the sender's session.

Client → `{"action": "chat.send", "text": "…"}`.
Each connection of the session ← `{"action": "chat.message", "sessionId", "messageId",
"from", "text", "sentAt"}`, through the API Gateway Management API (PostToConnection).
A connection that is gone (GoneException, HTTP 410: closed without its $disconnect
having run yet) loses its row. A message without text is an error, so the sender
gets API Gateway's "Internal server error" frame.
"""
import json
import os
import time
import uuid

import boto3
from boto3.dynamodb.conditions import Key

dynamodb = boto3.resource("dynamodb")
connections = dynamodb.Table(os.environ["CONNECTIONS_TABLE_NAME"])
chat = dynamodb.Table(os.environ["CHAT_TABLE_NAME"])
INDEX_NAME = os.environ["CONNECTIONS_INDEX_NAME"]
management = boto3.client("apigatewaymanagementapi", endpoint_url=os.environ["MANAGEMENT_ENDPOINT"])


def session_of(connection_id):
    rows = connections.query(
        IndexName=INDEX_NAME,
        KeyConditionExpression=Key("connectionId").eq(connection_id),
    )["Items"]
    if not rows:
        raise LookupError("connection %s has no row in the connections table" % connection_id)
    return rows[0]["sessionId"]


def handler(event, context):
    sender = event["requestContext"]["connectionId"]
    message = json.loads(event["body"])
    text = message.get("text")
    if not isinstance(text, str) or not text:
        raise ValueError("chat.send needs a non-empty text")

    session_id = session_of(sender)
    item = {
        "sessionId": session_id,
        "messageId": str(uuid.uuid4()),
        "from": sender,
        "text": text,
        "sentAt": int(time.time() * 1000),
    }
    chat.put_item(Item=item)
    frame = json.dumps(dict(item, action="chat.message")).encode()

    failures = []
    peers = connections.query(KeyConditionExpression=Key("sessionId").eq(session_id))["Items"]
    for peer in peers:
        try:
            management.post_to_connection(ConnectionId=peer["connectionId"], Data=frame)
        except management.exceptions.GoneException:
            print("gone: %s" % peer["connectionId"])
            connections.delete_item(Key={"sessionId": session_id, "connectionId": peer["connectionId"]})
        except Exception as error:  # one bad post must not stop the others
            failures.append("%s: %r" % (peer["connectionId"], error))
    if failures:
        raise RuntimeError("posting failed for " + "; ".join(failures))
    return {"statusCode": 200}
