"""py.echo (two-way): the message's text back, with the Python version and the region."""
import json
import os
import sys


def handler(event, context):
    body = json.loads(event["body"])
    print(f"py.echo {body.get('text')}")
    return {
        "statusCode": 200,
        "body": json.dumps({
            "text": body.get("text"),
            "python": f"{sys.version_info.major}.{sys.version_info.minor}",
            "region": os.environ.get("AWS_REGION"),
            "remaining": context.get_remaining_time_in_millis(),
        }),
    }
