// How long the server asked a refused client to wait. Its 429s say so twice: the `Retry-After` header,
// which the PocketBase SDK's errors do not carry, and `data.retryAfter` in the JSON error, read here.
import { ClientResponseError } from 'pocketbase';

/** The wait a 429 asked for, in ms; undefined when the error names none (then the caller backs off). */
export function retryAfterMs(error: unknown): number | undefined {
  if (!(error instanceof ClientResponseError) || error.status !== 429) return undefined;
  const data: unknown = error.response?.data;
  const seconds = typeof data === 'object' && data !== null ? (data as { retryAfter?: unknown }).retryAfter : undefined;
  // Anything but a positive number of seconds is no instruction: a zero or a garbled value would
  // otherwise make the outbox retry at once, into the same refusal.
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}
