// $connect: refuses with the status named in ?status=, else accepts.
export const handler = async (event) => {
  const status = Number(event.queryStringParameters?.status ?? 200);
  console.log(`connect ${event.requestContext.connectionId} status ${status}`);
  if (event.queryStringParameters?.throw) throw new Error("connect refused by throwing");
  return { statusCode: status };
};
