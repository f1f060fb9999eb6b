/** The length a UTF-8 sequence declares by its lead byte (0 for a byte that cannot lead one). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Whether `b` may follow `lead` as the first continuation byte (no overlongs, surrogates or > U+10FFFF). */
function validSecond(lead: number, b: number): boolean {
  if (lead === 0xe0) return b >= 0xa0 && b <= 0xbf;
  if (lead === 0xed) return b >= 0x80 && b <= 0x9f;
  if (lead === 0xf0) return b >= 0x90 && b <= 0xbf;
  if (lead === 0xf4) return b >= 0x80 && b <= 0x8f;
  return b >= 0x80 && b <= 0xbf;
}

/**
 * Where `bytes` stop being UTF-8: the offsets of the bytes that start invalid sequences, in order. A
 * sequence cut short by the end of `bytes` is not invalid (the next chunk may finish it); its length
 * is `incomplete`.
 */
export function invalidUtf8(bytes: Uint8Array): { offsets: number[]; incomplete: number } {
  const offsets: number[] = [];
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i];
    if (lead < 0x80) {
      i++;
      continue;
    }
    const length = sequenceLength(lead);
    if (length === 0) {
      offsets.push(i++);
      continue;
    }
    let k = 1;
    while (k < length && i + k < bytes.length) {
      const b = bytes[i + k];
      if (k === 1 ? !validSecond(lead, b) : b < 0x80 || b > 0xbf) break;
      k++;
    }
    if (k === length) i += length;
    else if (i + k === bytes.length) return { offsets, incomplete: k };
    else {
      offsets.push(i);
      i += k;
    }
  }
  return { offsets, incomplete: 0 };
}
