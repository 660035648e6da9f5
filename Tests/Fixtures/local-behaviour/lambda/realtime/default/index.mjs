// $default (two-way): sends the whole event back, so the test can read what arrived.
export const handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });
