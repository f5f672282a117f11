/** The longest request Bosun plans: the same bound as the server's `POST /api/agent/plan` (text max 2000). */
export const ASK_MAX_LENGTH = 2000;

/** A plain sentence when the request is too long to ask, shown under the field; null when it fits. */
export const toRequestLengthProblem = (text: string, max = ASK_MAX_LENGTH): string | null => {
  // Counted as sent: the server checks the length before it trims.
  const length = text.length;
  if (length <= max) return null;
  const n = (value: number) => value.toLocaleString('en-US');
  return `That is ${n(length)} characters; Bosun reads requests of up to ${n(max)}. Shorten it (${n(length - max)} too many) and ask again.`;
};
