// slow: answers after 3 s, past an --integration-timeout of 2 s but within its Timeout of 5 s.
export const handler = async () => {
  await new Promise((resolve) => setTimeout(resolve, 3000));
  return { statusCode: 200 };
};
