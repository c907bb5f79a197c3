// Keeps count of the answers an adapter is still writing, so stopping can let them finish.

export class InFlight {
  private readonly pending = new Set<Promise<unknown>>();

  /** Returns `work` itself; whether it resolves or rejects is still the caller's to handle. */
  track<T>(work: Promise<T>): Promise<T> {
    this.pending.add(work);
    // then(done, done), not finally(): a derived promise that rejected unobserved would crash the process.
    const done = () => void this.pending.delete(work);
    work.then(done, done);
    return work;
  }

  /** Resolves once everything tracked so far has settled, however it ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }
}
