const POSITIVE = new Set(['1', 'pos', 'positive']);
const NEGATIVE = new Set(['0', 'neg', 'negative']);

/** The label values understood without a map, for messages. */
export const ACCEPTED_LABELS =
  'accepted: 1/0, pos/neg, positive/negative (any case), true/false in JSON; map other values (star ratings) with --positive-labels and --negative-labels';

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

/** Which raw label values count as positive and negative (star ratings: 4,5 and 1,2); others are left out. */
export interface LabelMap {
  positive: readonly string[];
  negative: readonly string[];
}

/**
 * A label reader: with a map, its values give 1 or 0 and any other value `'other'` (skipped and
 * counted, not an error); without one, `parseLabel`.
 */
export function labelReader(map?: LabelMap): (value: unknown) => 0 | 1 | 'other' | null {
  if (!map) return parseLabel;
  const norm = (v: string) => v.trim().toLowerCase();
  const positive = new Set(map.positive.map(norm));
  const negative = new Set(map.negative.map(norm));
  return (value) => {
    if (value === null || value === undefined || typeof value === 'object') return null;
    const key = norm(String(value));
    if (positive.has(key)) return 1;
    if (negative.has(key)) return 0;
    return 'other';
  };
}
