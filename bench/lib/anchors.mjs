// Anchors (scipy svds, benfred/implicit) are read from bench/REFERENCE.md — the one place they are written
// down — from the table rows whose first cell is a backticked key: | `key` | seconds | ... |.
import { readFileSync } from 'node:fs';

export function readAnchors(path) {
  const anchors = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^\|\s*`([^`]+)`\s*\|\s*([0-9.]+)\s*\|\s*([^|]*)\|\s*([^|]*)\|/.exec(line);
    if (m) anchors[m[1]] = { key: m[1], seconds: Number(m[2]), label: m[3].trim(), setting: m[4].trim() };
  }
  return anchors;
}
