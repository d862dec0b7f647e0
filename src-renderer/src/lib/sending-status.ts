// What a message waiting in the outbox says about itself. "Sending…" alone, when the server asked the
// client to slow down, reads as stuck; saying why and for how long reads as what it is.

/** The status line of a pending message: the reason and a countdown while the server asked to slow down. */
export function sendingStatus(slowedUntil: number | undefined, now: number): string {
  if (slowedUntil === undefined) return 'Sending…';
  const seconds = Math.ceil((slowedUntil - now) / 1000);
  return seconds > 0 ? `The server asked to slow down — sending in ${seconds} s` : 'Sending…';
}

/**
 * What a screen reader hears while the server asked to slow down, said once: the message list is a live
 * region, and the ticking countdown (hidden from assistive technology) would be announced every second.
 */
export const SLOWED_ANNOUNCEMENT = 'The server asked to slow down; sending shortly.';
