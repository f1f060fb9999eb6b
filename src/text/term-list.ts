/**
 * Terms back to back in one buffer, term `id` being `bytes[starts[id], starts[id + 1])`: what a fit
 * needs of the n-grams it has seen (their bytes and order), without the cost of an index.
 */
export class TermList {
  constructor(
    readonly bytes: Uint8Array,
    readonly starts: Uint32Array,
  ) {
    if (starts.length < 1 || starts[starts.length - 1] > bytes.length)
      throw new RangeError('term starts must end within the bytes');
  }

  get size(): number {
    return this.starts.length - 1;
  }

  bytesOf(id: number): Uint8Array {
    return this.bytes.subarray(this.starts[id], this.starts[id + 1]);
  }
}
