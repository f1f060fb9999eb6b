const POSITIVE = new Set(['1', 'pos', 'positive']);
const NEGATIVE = new Set(['0', 'neg', 'negative']);

/** 1 for positive, 0 for negative, null for anything else: 0/1, pos/neg, positive/negative, any case. */
export function parseLabel(value: unknown): 0 | 1 | null {
  if (value === 1 || value === true) return 1;
  if (value === 0 || value === false) return 0;
  if (typeof value !== 'string') return null;
  const normalized = value.trim().toLowerCase();
  if (POSITIVE.has(normalized)) return 1;
  if (NEGATIVE.has(normalized)) return 0;
  return null;
}
