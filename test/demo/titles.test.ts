// The demo's items-file reader (demo/titles.js): each published layout, its encoding, and bad lines.
import { describe, expect, it } from 'vitest';
// @ts-expect-error — plain JS module without type declarations
import { isTitlesFile, parseTitles } from '../../demo/titles.js';

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf8 = (s: string) => new TextEncoder().encode(s);

describe('demo titles', () => {
  it('recognises the items files by name, not the ratings files', () => {
    for (const n of ['u.item', 'ml-100k/u.item', 'movies.dat', 'movies.csv', 'artists.dat'])
      expect(isTitlesFile(n), n).toBe(true);
    for (const n of ['u.data', 'ratings.dat', 'ratings.csv', 'user_artists.dat', 'items.txt'])
      expect(isTitlesFile(n), n).toBe(false);
  });
  it('u.item: pipe-separated, ISO-8859-1', () => {
    const t = parseTitles(
      'u.item',
      latin1('1|Toy Story (1995)|01-Jan-1995||http://x|0|0\n2|Café au lait (1994)|01-Jan-1994||http://y|0|1\n'),
    );
    expect([...t]).toEqual([
      ['1', 'Toy Story (1995)'],
      ['2', 'Café au lait (1994)'],
    ]);
  });
  it('movies.dat (::) and movies.csv (header, quoted titles with commas and quotes)', () => {
    expect(parseTitles('movies.dat', utf8('1::Toy Story (1995)::Animation|Comedy\r\n')).get('1')).toBe(
      'Toy Story (1995)',
    );
    const csv = parseTitles(
      'movies.csv',
      utf8(
        'movieId,title,genres\n11,"American President, The (1995)",Comedy\n12,"Say ""Hi"" (2000)",Drama\n13,Heat (1995),Action\n',
      ),
    );
    expect([...csv.values()]).toEqual(['American President, The (1995)', 'Say "Hi" (2000)', 'Heat (1995)']);
  });
  it('artists.dat (header, tabs, UTF-8)', () => {
    expect(
      parseTitles('artists.dat', utf8('id\tname\turl\tpictureURL\n51\tDie Ärzte\thttp://a\thttp://b\n')).get('51'),
    ).toBe('Die Ärzte');
  });
  it('a line without an id and a title is an error naming file and line', () => {
    expect(() => parseTitles('u.item', utf8('1|A\nno title here\n'))).toThrow(
      'u.item, line 2: expected an item id and a title, got "no title here"',
    );
    expect(() => parseTitles('movies.csv', utf8('movieId,title\n'))).toThrow('movies.csv: no titles found');
  });
});
