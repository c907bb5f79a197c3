// Waiting a bounded time for an answer: adapters answer at once when they can and acknowledge first when they cannot.

/**
 * The value of `work` if it settles within `ms`, else undefined (`ms` <= 0: undefined at once).
 * The timer is cleared either way, so a quick answer leaves nothing holding the process.
 * A rejection inside the window rejects; later ones are the caller's to handle when it awaits `work`.
 */
export async function settledWithin<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) return undefined;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
