// Item names for the demo: the items files published beside the ratings — MovieLens u.item (100K),
// movies.dat (1M/10M), movies.csv (20M/25M/latest) and Last.fm artists.dat — read into id → title.

/** The items files the demo understands, by file name. */
export function isTitlesFile(name) {
  // artists.dat only as its own name: user_artists.dat is Last.fm's ratings file.
  return /(^|[^a-z0-9])(u\.item|movies\.dat|movies\.csv)$/i.test(name) || /^artists\.dat$/i.test(name);
}

/** Text of bytes: UTF-8 when valid, else Latin-1 (MovieLens 100K and 1M are ISO-8859-1). */
export function decodeText(bytes) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('latin1').decode(bytes);
  }
}

/** The fields of one CSV line, quotes ("a, b" and "" inside) honoured. */
function csvFields(line) {
  const out = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return null; // unterminated
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      out.push(v);
      i++; // the comma
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? line.length : c;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/**
 * Parse an items file into Map(id text → title). `name` picks the layout; throws an Error saying what
 * was expected when a line does not fit it.
 */
export function parseTitles(name, bytes) {
  const text = decodeText(bytes);
  const lines = text.split(/\r?\n/);
  const lower = name.toLowerCase();
  const split = lower.endsWith('u.item')
    ? (l) => l.split('|')
    : lower.endsWith('movies.dat')
      ? (l) => l.split('::')
      : lower.endsWith('movies.csv')
        ? csvFields
        : (l) => l.split('\t');
  const headerFirst = lower.endsWith('.csv') || lower.endsWith('artists.dat');
  const titles = new Map();
  lines.forEach((line, k) => {
    if (line.trim() === '' || (headerFirst && k === 0)) return;
    const f = split(line);
    if (!f || f.length < 2 || f[0].trim() === '' || f[1].trim() === '') {
      throw new Error(
        `${name}, line ${k + 1}: expected an item id and a title, got ${JSON.stringify(line.slice(0, 60))}`,
      );
    }
    titles.set(f[0].trim(), f[1].trim());
  });
  if (titles.size === 0) throw new Error(`${name}: no titles found`);
  return titles;
}
