import type { LabelMap } from './labels.js';

/** Labelled reviews, in file order. */
export interface Dataset {
  texts: string[];
  /** 1 = positive, 0 = negative. */
  labels: Uint8Array;
  /** Where it was read from. */
  source: string;
  /** Rows skipped by `skipInvalid`. */
  skipped: number;
  /** Rows left out because `labelMap` names neither class for their label (a 3-star review). */
  otherLabels?: number;
}

export interface ReadOptions {
  /** Column holding the review (CSV); detected when absent. */
  textColumn?: string;
  /** Column holding the label (CSV); detected when absent. */
  labelColumn?: string;
  /** Skip malformed rows and count them instead of failing. */
  skipInvalid?: boolean;
  /** Raw label values for each class; rows with other values are left out and counted. */
  labelMap?: LabelMap;
}

/** Which format a path holds, from its name (and, for folders, its layout). */
export type DatasetFormat = 'csv' | 'jsonl' | 'acl-imdb-dir' | 'acl-imdb-tar';

export function formatOf(path: string, isDirectory: boolean): DatasetFormat {
  if (isDirectory) return 'acl-imdb-dir';
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.tar') || name.endsWith('.tgz')) return 'acl-imdb-tar';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  return 'csv';
}
