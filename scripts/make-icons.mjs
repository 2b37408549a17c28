#!/usr/bin/env node
// Draws the GridDesk icon — an amber lightning bolt on a blue rounded square — and writes
// build/icon.png (512×512, Linux and the window) and build/icon.ico (16–256 px, Windows),
// with nothing but zlib from Node. The outputs are committed; run this again after changing it.
//
//   node scripts/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

// The bolt, in a unit square (x right, y down).
const BOLT = [
  [0.57, 0.1],
  [0.27, 0.55],
  [0.47, 0.55],
  [0.41, 0.9],
  [0.73, 0.42],
  [0.53, 0.42],
  [0.65, 0.1],
];
const TOP_BLUE = [0x1e, 0x6f, 0xd9];
const BOTTOM_BLUE = [0x0b, 0x3d, 0x91];
const AMBER = [0xff, 0xc8, 0x2e];
const INSET = 0.03; // transparent margin around the square
const RADIUS = 0.2; // corner radius, as a share of the size

function insidePolygon(x, y, points) {
  let inside = false;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
    const [xi, yi] = points[i];
    const [xj, yj] = points[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function insideRoundedSquare(x, y) {
  const lo = INSET;
  const hi = 1 - INSET;
  if (x < lo || x > hi || y < lo || y > hi) return false;
  const cx = Math.min(Math.max(x, lo + RADIUS), hi - RADIUS);
  const cy = Math.min(Math.max(y, lo + RADIUS), hi - RADIUS);
  return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2;
}

/** RGBA pixels of the icon at `size`, 4×4 samples per pixel for smooth edges. */
export function drawIcon(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let square = 0;
      let bolt = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (!insideRoundedSquare(x, y)) continue;
          square++;
          if (insidePolygon(x, y, BOLT)) bolt++;
        }
      }
      const n = samples * samples;
      const t = py / (size - 1);
      const blue = TOP_BLUE.map((c, i) => c + (BOTTOM_BLUE[i] - c) * t);
      const share = square ? bolt / square : 0;
      const offset = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) pixels[offset + i] = Math.round(blue[i] * (1 - share) + AMBER[i] * share);
      pixels[offset + 3] = Math.round((255 * square) / n);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG file of RGBA pixels (8 bits per channel, no filtering). */
export function encodePng(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO file holding PNG images (Windows Vista and later read PNG entries at every size). */
export function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry[0] = size >= 256 ? 0 : size; // 0 means 256
    entry[1] = size >= 256 ? 0 : size;
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

export function makeIcons(root = ROOT) {
  const dir = join(root, 'build');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'icon.png'), encodePng(512, drawIcon(512)));
  writeFileSync(join(dir, 'icon.ico'), encodeIco(ICO_SIZES.map((size) => ({ size, png: encodePng(size, drawIcon(size)) }))));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  makeIcons();
  console.log('make-icons: build/icon.png, build/icon.ico');
}
