#!/usr/bin/env node
// Draws Spindle's kernel logos (logo-32x32.png, logo-64x64.png) with no image
// dependencies: a spindle of wound thread on TypeScript blue, rendered with 4x4
// supersampling and written as an RGBA PNG with node:zlib.
// Usage: node kernel/make-logos.js
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const BLUE = [49, 120, 198];
const THREAD = [255, 214, 102];
const SHAFT = [240, 240, 240];

/** Colour and coverage of the point (x, y) in a unit square, or null when transparent. */
function shade(x, y) {
  // Rounded square background.
  const r = 0.18;
  const dx = Math.max(Math.abs(x - 0.5) - (0.5 - r), 0);
  const dy = Math.max(Math.abs(y - 0.5) - (0.5 - r), 0);
  if (dx * dx + dy * dy > r * r) return null;
  // The shaft: a thin vertical bar through the middle.
  if (Math.abs(x - 0.5) < 0.035 && y > 0.1 && y < 0.9) return SHAFT;
  // The wound thread: a lens, widest in the middle, striped by the turns.
  const half = 0.3 * Math.sin(Math.PI * Math.min(Math.max((y - 0.18) / 0.64, 0), 1));
  if (Math.abs(x - 0.5) < half && y > 0.18 && y < 0.82) {
    const turn = ((y + (x - 0.5) * 0.35) * 14) % 1;
    return turn < 0.72 ? THREAD : [214, 160, 40];
  }
  return BLUE;
}

function render(size) {
  const ss = 4;
  const rows = [];
  for (let py = 0; py < size; py++) {
    const row = Buffer.alloc(1 + size * 4); // filter byte 0, then RGBA
    for (let px = 0; px < size; px++) {
      let rr = 0, gg = 0, bb = 0, aa = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const c = shade((px + (sx + 0.5) / ss) / size, (py + (sy + 0.5) / ss) / size);
          if (!c) continue;
          rr += c[0]; gg += c[1]; bb += c[2]; aa++;
        }
      }
      const o = 1 + px * 4;
      if (aa > 0) {
        row[o] = Math.round(rr / aa); row[o + 1] = Math.round(gg / aa); row[o + 2] = Math.round(bb / aa);
      }
      row[o + 3] = Math.round((255 * aa) / (ss * ss));
    }
    rows.push(row);
  }
  return png(size, size, Buffer.concat(rows));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(width, height, raw) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", zlib.deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

for (const size of [32, 64]) {
  const file = path.join(__dirname, `logo-${size}x${size}.png`);
  fs.writeFileSync(file, render(size));
  console.log(`wrote ${file}`);
}
