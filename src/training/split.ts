/** A seeded pseudo-random generator (mulberry32): the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** 0..n-1 in a seeded random order. */
export function permutation(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** Splits row ids into training and validation parts, stratified by label so both keep the class balance. */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  validationFraction: number,
  seed: number,
): { train: Uint32Array; validation: Uint32Array } {
  if (!(validationFraction > 0 && validationFraction < 1)) {
    throw new RangeError(`the validation fraction must be in (0, 1), got ${validationFraction}`);
  }
  const order = permutation(labels.length, seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const label of [0, 1]) {
    const rows = Array.from(order).filter((i) => labels[i] === label);
    const held = Math.round(rows.length * validationFraction);
    validation.push(...rows.slice(0, held));
    train.push(...rows.slice(held));
  }
  const byOrder = (a: number, b: number) => a - b;
  return {
    train: Uint32Array.from(train.sort(byOrder)),
    validation: Uint32Array.from(validation.sort(byOrder)),
  };
}
