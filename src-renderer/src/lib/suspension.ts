// A suspended account (backend/suspension.go) is refused with one error on every request: 403 with
// data.account.code = account_suspended, and the server's sentence saying so. This module recognises it
// in a request's error or in any answer, so the session can sign out and show the sentence on the
// sign-in screen, whichever request met it first (a send, a refresh, the realtime resubscribe after the
// server closed the connection).
import { ClientResponseError, type SendOptions } from 'pocketbase';

export const SUSPENDED_CODE = 'account_suspended';

/** What is said when the server's own sentence is missing. */
export const SUSPENDED_FALLBACK = 'This account is suspended: it cannot sign in or use this server.';

interface ErrorBody {
  message?: unknown;
  data?: { account?: { code?: unknown } };
}

/** The sentence to show when an answer's status and body say the account is suspended, else null. */
export function suspensionInAnswer(status: number, body: unknown): string | null {
  if (status !== 403 || !body || typeof body !== 'object') return null;
  const { message, data } = body as ErrorBody;
  if (data?.account?.code !== SUSPENDED_CODE) return null;
  return typeof message === 'string' && message.trim() !== '' ? message : SUSPENDED_FALLBACK;
}

/** The sentence when a request failed because the account is suspended, else null. */
export function suspensionOf(error: unknown): string | null {
  if (!(error instanceof ClientResponseError)) return null;
  return suspensionInAnswer(error.status, error.response);
}

/** What is used of the SDK client to look at each answer. */
export interface AnswerHook {
  afterSend?: (response: Response, data: unknown, options?: SendOptions) => unknown;
}

/**
 * Calls `onSuspended` with the server's sentence whenever an answer says the account is suspended. Chains
 * with a hook already installed; installed once per client, for its whole life.
 */
export function watchSuspension(client: AnswerHook, onSuspended: (message: string) => void): void {
  const previous = client.afterSend;
  client.afterSend = (response: Response, data: unknown, options?: SendOptions): unknown => {
    const message = suspensionInAnswer(response.status, data);
    if (message) onSuspended(message);
    if (!previous) return data;
    return options ? previous(response, data, options) : previous(response, data);
  };
}
