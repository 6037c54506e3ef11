/** Resolves once `cond` holds, checking every 5 ms; rejects after `ms` (what it waited for in the message). */
export async function waitFor(
  cond: () => boolean | Promise<boolean>,
  ms = 10_000,
  what = 'a condition',
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
