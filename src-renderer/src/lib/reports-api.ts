// Reporting a message to the server's administrators (backend/reports.go): the person sends the message
// and a reason; the server fills in the rest and keeps the report where only superusers read it, so
// nothing here reads reports back. The answer is an outcome the dialog shows as it is.
// Tested against a real PocketBase in reports-api.server.test.ts.
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { createContext } from 'svelte';
import { describeError } from './errors.ts';

/** What the server accepts of a reason (migration 1795700171). */
export const REPORT_REASON_MAX = 1000;

export type ReportOutcome =
  | { kind: 'sent' }
  /** This person has an open report of this message already: the administrators have it. */
  | { kind: 'already' }
  | { kind: 'refused'; problem: string };

export type ReportMessage = (messageId: string, reason: string) => Promise<ReportOutcome>;

/** True for the one-open-report-per-person-per-message index's answer. */
function alreadyReported(error: unknown): boolean {
  if (!(error instanceof ClientResponseError) || error.status !== 400) return false;
  const fields = (error.response?.data ?? {}) as Record<string, { code?: string } | undefined>;
  return ['message', 'reporter'].some((field) => fields[field]?.code === 'validation_not_unique');
}

export function reportMessages(pb: PocketBase): ReportMessage {
  return async (messageId, reason) => {
    try {
      await pb.collection('reports').create({ message: messageId, reason: reason.trim() }, { requestKey: null });
      return { kind: 'sent' };
    } catch (error) {
      if (alreadyReported(error)) return { kind: 'already' };
      const problem = describeError(error, { action: 'send the report' });
      if (problem.status === 429)
        return { kind: 'refused', problem: 'You have sent many reports just now. Try again later.' };
      if (problem.status === 404)
        return { kind: 'refused', problem: 'This message is gone, or you can no longer read it.' };
      return { kind: 'refused', problem: problem.fields.reason ?? problem.message };
    }
  };
}

export const [useReportMessage, provideReportMessage] = createContext<ReportMessage>();
