// Bench fixture: a no-op handler (returns at once), so a measurement is menort's own cost.
export const handler = async () => ({ statusCode: 200 });
