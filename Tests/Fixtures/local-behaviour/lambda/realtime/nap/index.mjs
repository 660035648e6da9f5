// nap: answers after 500 ms, posting its process id back through the Management API, so
// the test sees overlapping events run at once, in different workers.
export const handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const url = `${process.env.MANAGEMENT_ENDPOINT}/@connections/${encodeURIComponent(event.requestContext.connectionId)}`;
  await fetch(url, { method: "POST", body: JSON.stringify({ pid: process.pid }) });
};
