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
