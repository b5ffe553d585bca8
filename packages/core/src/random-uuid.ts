// `client-request-id` for every request. `crypto.randomUUID` exists only in secure contexts (https,
// loopback): a page served over plain http from another name has `crypto.getRandomValues` alone.

/** A random RFC 4122 version 4 UUID, from `crypto.randomUUID` where the platform has it. */
export function randomUUID(): string {
  // Checked per call, not once: the common case is one typeof away from the native call.
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : uuidFromRandomValues();
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The same format built on `crypto.getRandomValues`: 122 random bits, version 4, variant 10xx. */
export function uuidFromRandomValues(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = (i: number) => HEX[b[i]!]!;
  return `${h(0)}${h(1)}${h(2)}${h(3)}-${h(4)}${h(5)}-${h(6)}${h(7)}-${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`;
}
