// A bounded memo for pure functions of a string: looked up, else computed and kept; a full memo starts again.

/**
 * Starting again when full (rather than least-recently-used eviction) keeps the hot path to one Map lookup; the
 * callers' working sets (content texts, timestamps, schedule slots) are far below their limits.
 */
export class Memo<T> {
  private readonly values = new Map<string, T>();

  constructor(private readonly limit: number) {}

  get(key: string, compute: () => T): T {
    let value = this.values.get(key);
    if (value === undefined) {
      value = compute();
      if (this.values.size >= this.limit) this.values.clear();
      this.values.set(key, value);
    }
    return value;
  }
}
