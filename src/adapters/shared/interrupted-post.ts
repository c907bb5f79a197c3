// What the digest posters share about a post that may have gone out unrecorded: the withdrawn reason and the clock skew.

/** Why a post was not sent when the Sender's `sending` hook said stop (its claim on the row is gone). */
export const WITHDRAWN_REASON = "not sent: the sender no longer holds the digest";

/** Our clock and the platform's may disagree: a channel's history is read from this long before the first attempt. */
export const HISTORY_CLOCK_SKEW_MS = 60_000;
