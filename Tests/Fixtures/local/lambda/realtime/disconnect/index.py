"""$disconnect: forgets a closed connection.

The event carries only the connectionId, so its rows are found through the
connections table's `connectionId-index` GSI (the table's key is sessionId +
connectionId), then deleted by their full key, with the connection's presence row.
API Gateway ignores what $disconnect returns, and the client is already gone.
"""
import os

import boto3
from boto3.dynamodb.conditions import Key

dynamodb = boto3.resource("dynamodb")
connections = dynamodb.Table(os.environ["CONNECTIONS_TABLE_NAME"])
presence = dynamodb.Table(os.environ["PRESENCE_TABLE_NAME"])
INDEX_NAME = os.environ["CONNECTIONS_INDEX_NAME"]


def handler(event, context):
    connection_id = event["requestContext"]["connectionId"]
    rows = connections.query(
        IndexName=INDEX_NAME,
        KeyConditionExpression=Key("connectionId").eq(connection_id),
    )["Items"]
    for row in rows:
        key = {"sessionId": row["sessionId"], "connectionId": connection_id}
        connections.delete_item(Key=key)
        presence.delete_item(Key=key)
    print("disconnected %s (%d row%s)" % (connection_id, len(rows), "" if len(rows) == 1 else "s"))
    return {"statusCode": 200}
