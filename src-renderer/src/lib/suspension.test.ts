import { ClientResponseError } from 'pocketbase';
import { describe, expect, it } from 'vitest';
import {
  SUSPENDED_FALLBACK,
  suspensionInAnswer,
  suspensionOf,
  watchSuspension,
  type AnswerHook,
} from './suspension.ts';

const body = { status: 403, message: 'This account is suspended.', data: { account: { code: 'account_suspended' } } };

describe('suspension', () => {
  it('is recognised by its status and code only', () => {
    expect(suspensionInAnswer(403, body)).toBe('This account is suspended.');
    expect(suspensionInAnswer(403, { ...body, message: '' })).toBe(SUSPENDED_FALLBACK);
    // Another refusal, or the code on another status, is not a suspension.
    expect(suspensionInAnswer(403, { message: 'no', data: {} })).toBeNull();
    expect(suspensionInAnswer(400, body)).toBeNull();
    expect(suspensionInAnswer(403, null)).toBeNull();
    expect(suspensionOf(new ClientResponseError({ status: 403, response: body }))).toBe('This account is suspended.');
    expect(suspensionOf(new ClientResponseError({ status: 401, response: {} }))).toBeNull();
    expect(suspensionOf(new Error('x'))).toBeNull();
  });

  it('is watched in every answer, keeping the hook that was there', () => {
    const seen: string[] = [];
    const client: AnswerHook = { afterSend: (_r, data) => ({ wrapped: data }) };
    watchSuspension(client, (message) => seen.push(message));
    const answer = (status: number) => new Response(null, { status });
    expect(client.afterSend?.(answer(200), { ok: true })).toEqual({ wrapped: { ok: true } });
    expect(seen).toEqual([]);
    client.afterSend?.(answer(403), body);
    expect(seen).toEqual(['This account is suspended.']);
  });
});
