// crash: the process dies mid-invocation (a native crash, an OOM, process.exit in a library).
export const handler = async () => { process.exit(3); };
