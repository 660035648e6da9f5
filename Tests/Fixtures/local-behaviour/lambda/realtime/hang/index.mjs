// hang: never answers (Timeout: 1 in the template). The timer keeps Node's event loop
// busy, as a stuck database call would; an empty loop would end the invocation instead.
export const handler = () => new Promise(() => { setInterval(() => {}, 1000); });
