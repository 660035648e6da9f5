"""presence.update: records what a connection is doing and tells its session.

Client → `{"action": "presence.update", "status": "online" | "typing" | "away" | …}`.
The presence row (sessionId + connectionId) gets the status; every connection of the
session ← `{"action": "presence.changed", "sessionId", "connectionId", "status",
"updatedAt"}`.
"""
import json
import os
import time

import boto3
from boto3.dynamodb.conditions import Key

dynamodb = boto3.resource("dynamodb")
connections = dynamodb.Table(os.environ["CONNECTIONS_TABLE_NAME"])
presence = dynamodb.Table(os.environ["PRESENCE_TABLE_NAME"])
INDEX_NAME = os.environ["CONNECTIONS_INDEX_NAME"]
management = boto3.client("apigatewaymanagementapi", endpoint_url=os.environ["MANAGEMENT_ENDPOINT"])


def handler(event, context):
    connection_id = event["requestContext"]["connectionId"]
    status = str(json.loads(event["body"]).get("status") or "online")
    rows = connections.query(
        IndexName=INDEX_NAME,
        KeyConditionExpression=Key("connectionId").eq(connection_id),
    )["Items"]
    if not rows:
        raise LookupError("connection %s has no row in the connections table" % connection_id)
    session_id = rows[0]["sessionId"]

    item = {
        "sessionId": session_id,
        "connectionId": connection_id,
        "status": status,
        "updatedAt": int(time.time() * 1000),
    }
    presence.put_item(Item=item)

    frame = json.dumps(dict(item, action="presence.changed")).encode()
    for peer in connections.query(KeyConditionExpression=Key("sessionId").eq(session_id))["Items"]:
        try:
            management.post_to_connection(ConnectionId=peer["connectionId"], Data=frame)
        except management.exceptions.GoneException:
            connections.delete_item(Key={"sessionId": session_id, "connectionId": peer["connectionId"]})
    return {"statusCode": 200}
