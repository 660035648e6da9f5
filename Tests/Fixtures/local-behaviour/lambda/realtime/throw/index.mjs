// throw: an ordinary handler error.
export const handler = async () => { throw new TypeError("something went wrong"); };
