'use strict';
// ping: a two-way route (the template gives it a RouteResponse), so the `body` returned here
// goes back to the caller as one frame, without the Management API. Clients use it to learn
// their own connectionId and to measure the round trip.
//
// Client → {"action": "ping", …}
// Client ← {"action": "pong", "connectionId", "requestId", "routeKey", "stage", "functionName",
//           "received", "requestContext" (the event's, whole), "isBase64Encoded"}

exports.handler = async (event, context) => {
  const { connectionId, requestId, routeKey, stage } = event.requestContext;
  return {
    statusCode: 200,
    body: JSON.stringify({
      action: 'pong',
      connectionId,
      requestId,
      routeKey,
      stage,
      functionName: context.functionName,
      received: JSON.parse(event.body),
      requestContext: event.requestContext,
      isBase64Encoded: event.isBase64Encoded,
    }),
  };
};
