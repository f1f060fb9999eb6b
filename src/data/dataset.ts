/** Labelled reviews, in file order. */
export interface Dataset {
  texts: string[];
  /** 1 = positive, 0 = negative. */
  labels: Uint8Array;
  /** Where it was read from. */
  source: string;
  /** Rows skipped by `skipInvalid`. */
  skipped: number;
}

export interface ReadOptions {
  /** Column holding the review (CSV); detected when absent. */
  textColumn?: string;
  /** Column holding the label (CSV); detected when absent. */
  labelColumn?: string;
  /** Skip malformed rows and count them instead of failing. */
  skipInvalid?: boolean;
}
