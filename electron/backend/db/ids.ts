import { randomBytes } from 'node:crypto';

// UUIDv7 (RFC 9562): 48-bit millisecond time, then random bits. Rows made at the station carry
// one as primary key so head office can merge stations without collisions; the time prefix keeps
// inserts in index order. Within one millisecond a counter in the random part keeps them
// increasing (method 1 of RFC 9562 §6.2), so ids made in a burst still sort in creation order.

let lastMs = -1;
let sequence = 0;

export function uuidv7(now: number = Date.now()): string {
  let ms = now;
  if (ms <= lastMs) {
    ms = lastMs;
    sequence += 1;
    if (sequence > 0xfff) {
      ms = lastMs + 1; // borrow the next millisecond rather than repeat
      sequence = 0;
    }
  } else {
    sequence = randomBytes(2).readUInt16BE(0) & 0x3ff; // leave headroom for the counter
  }
  lastMs = ms;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
