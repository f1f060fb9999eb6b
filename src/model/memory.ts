/** A typed array type, built over a buffer. */
type TypedArrayType<T> = { new (buffer: ArrayBufferLike): T; BYTES_PER_ELEMENT: number };

/** A `type` array of `length` zeros, in a SharedArrayBuffer when `shared`: other threads read it in place. */
export function allocate<T extends ArrayBufferView>(
  type: TypedArrayType<T>,
  length: number,
  shared: boolean,
): T {
  const bytes = length * type.BYTES_PER_ELEMENT;
  return new type(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/** Whether `array` lies in shared memory. */
export function isShared(array: ArrayBufferView): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

/** A typed array twice as long (or `atLeast`), holding `array` at its start. */
export function grow<T extends Uint8Array | Uint32Array | Float64Array>(array: T, atLeast: number): T {
  const grown = new (array.constructor as new (n: number) => T)(Math.max(array.length * 2, atLeast));
  grown.set(array);
  return grown;
}
