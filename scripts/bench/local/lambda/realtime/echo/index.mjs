// Bench fixture for the two-way routes (each has a RouteResponse, so the returned body is
// sent back to the client): `echo` returns the message itself, `whoami` the connection's id
// (the bench posts to it through @connections). Nothing else: no SDK, no I/O.
export const handler = async (event) => ({
  statusCode: 200,
  body: event.requestContext.routeKey === 'whoami' ? event.requestContext.connectionId : event.body,
});
