// One place that turns what went wrong into words a user can act on: PocketBase's ClientResponseError
// codes (400 with field errors, 403, 404, 429, 0 = unreachable) and anything else.
import { ClientResponseError } from 'pocketbase';

export interface ProblemDescription {
  /** A sentence for a banner or the form as a whole. */
  message: string;
  /** Sentences per field name, for the fields the server named. */
  fields: Record<string, string>;
  /** The HTTP status (0 when the server could not be reached). */
  status: number;
  /** True when the request never got an answer: offline, server down, wrong address. */
  unreachable: boolean;
  /** True when retrying the same request cannot help (validation, forbidden, not found). */
  permanent: boolean;
}

// PocketBase validation codes and what they mean for a person typing into a field.
const FIELD_MESSAGES: Record<string, (field: string, params: Record<string, unknown>) => string> = {
  validation_required: () => 'This is required.',
  validation_not_unique: (field) =>
    // Never said of an email: the server answers the same whether an address has an account or not.
    field === 'username'
      ? 'This username is taken.'
      : field === 'name'
        ? 'That name is taken.'
        : 'This is already taken.',
  validation_min_text_constraint: (_f, p) => `Use at least ${String(p.min ?? 1)} characters.`,
  validation_max_text_constraint: (_f, p) => `Use at most ${String(p.max ?? '')} characters.`,
  validation_length_out_of_range: (_f, p) => `Use ${String(p.min ?? '')} to ${String(p.max ?? '')} characters.`,
  validation_length_too_short: (_f, p) => `Use at least ${String(p.min ?? '')} characters.`,
  validation_invalid_format: (field) =>
    field === 'username'
      ? 'Use 3–32 letters, digits, dots, dashes or underscores.'
      : 'This is not in the expected format.',
  validation_is_email: () => 'Enter an email address like name@example.com.',
  validation_invalid_email: () => 'Enter an email address like name@example.com.',
  validation_values_mismatch: () => 'The passwords do not match.',
  validation_direct_room_exists: () => 'You already have a direct conversation with this person.',
};

function fieldMessage(
  field: string,
  error: { code?: string; message?: string; params?: Record<string, unknown> },
): string {
  const known = error.code ? FIELD_MESSAGES[error.code] : undefined;
  if (known) return known(field, error.params ?? {});
  // The server's own sentence is better than nothing, and PocketBase writes readable ones.
  return error.message || 'This value was not accepted.';
}

export function describeError(error: unknown, context: { server?: string; action?: string } = {}): ProblemDescription {
  const action = context.action ?? 'do that';
  if (!(error instanceof ClientResponseError)) {
    const text = error instanceof Error ? error.message : String(error);
    return { message: `Could not ${action}: ${text}`, fields: {}, status: -1, unreachable: false, permanent: false };
  }
  const status = error.status;
  const data = (error.response?.data ?? {}) as Record<
    string,
    { code?: string; message?: string; params?: Record<string, unknown> }
  >;
  const fields: Record<string, string> = {};
  for (const [field, detail] of Object.entries(data)) {
    if (detail && typeof detail === 'object') fields[field] = fieldMessage(field, detail);
  }
  const base = { fields, status, unreachable: false };
  switch (true) {
    case status === 0:
      return {
        ...base,
        unreachable: true,
        permanent: false,
        message: `Can't reach the server${context.server ? ` at ${context.server}` : ''}. Check the address and your connection.`,
      };
    case status === 400:
      return {
        ...base,
        permanent: true,
        message:
          error.response?.message && Object.keys(fields).length === 0
            ? String(error.response.message)
            : `Could not ${action}: check the highlighted fields.`,
      };
    case status === 401:
      return { ...base, permanent: true, message: 'Your session has ended. Please sign in again.' };
    case status === 403:
      return { ...base, permanent: true, message: `You are not allowed to ${action}.` };
    case status === 404:
      return {
        ...base,
        permanent: true,
        message: `Could not ${action}: it no longer exists or you no longer have access to it.`,
      };
    case status === 413:
      return { ...base, permanent: true, message: `Could not ${action}: it is too large.` };
    case status === 429:
      return { ...base, permanent: false, message: 'Too many requests. Wait a minute, then try again.' };
    default:
      return {
        ...base,
        permanent: false,
        message: `The server had a problem (${status}) and could not ${action}. Try again in a moment.`,
      };
  }
}
