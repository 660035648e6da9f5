// $disconnect: logs the event the test reads back from menort's stderr.
export const handler = async (event) => {
  console.log(`DISCONNECT-EVENT ${JSON.stringify(event)}`);
  return { statusCode: 200 };
};
