/**
 * Which field of a delimited line is the user, the item, the value and the timestamp: from the caller's
 * `columns` option, from header names as people write them (`userId`, `user_id`, `uid`, `movieId`,
 * `artistID`, `rating`, `plays`, … in any order), or by position (user, item, value, timestamp).
 * @internal
 * @module
 */
import { ColumnsError, ParseError, ValidationError } from '../../errors.js';
import { COLUMN_NAMES, ROLES, type ColumnRole } from './column-names.js';

/**
 * Which field holds what: per role, a 0-based position or a header name (`value: null` ignores values,
 * all 1); or a list of roles by position, e.g. `['item', 'user', 'rating']` (`null` or `'-'` skips a field).
 */
export type ColumnSpec =
  | {
      user?: number | string;
      item?: number | string;
      value?: number | string | null;
      timestamp?: number | string | null;
    }
  | readonly (string | null)[];

/** Field positions per role (-1: absent) and the names used in messages. */
export interface ColumnPlan {
  user: number;
  item: number;
  value: number;
  timestamp: number;
  /** Per role, how messages name it: `value "rating"` when it came from a header. */
  labels: Record<ColumnRole, string>;
}

/** A header name's comparison key. */
export function columnKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

const ROLE_OF_KEY = new Map<string, { role: ColumnRole; rank: number }>();
for (const role of ROLES)
  COLUMN_NAMES[role].forEach((n, rank) => {
    ROLE_OF_KEY.set(n, { role, rank });
  });

/** The role a header name stands for, if it is one people use. */
export function roleOfName(name: string): ColumnRole | undefined {
  return ROLE_OF_KEY.get(columnKey(name))?.role;
}

/** A role written in a `columns` list: the role itself or one of its names (`rating`, `userId`, …); null to skip. */
function roleOfListEntry(entry: string | null, k: number): ColumnRole | null {
  if (entry === null) return null;
  const t = entry.trim();
  if (t === '' || t === '-' || t === '_') return null;
  const role = (ROLES as readonly string[]).includes(t.toLowerCase()) ? (t.toLowerCase() as ColumnRole) : roleOfName(t);
  if (!role) {
    throw new ValidationError(
      `readInteractions: columns[${k}] is ${JSON.stringify(entry)}; expected user, item, value (or rating, count, …), timestamp, or null / '-' to skip the field`,
    );
  }
  return role;
}

/** Check a `columns` option at the boundary (before any input is read). */
export function validateColumns(c: ColumnSpec): void {
  if (Array.isArray(c)) {
    const seen = new Set<ColumnRole>();
    c.forEach((entry, k) => {
      if (entry !== null && typeof entry !== 'string')
        throw new ValidationError(
          `readInteractions: columns[${k}] must be a role name or null, got ${JSON.stringify(entry)}`,
        );
      const role = roleOfListEntry(entry, k);
      if (role && seen.has(role))
        throw new ValidationError(`readInteractions: columns lists ${role} twice (${JSON.stringify(c)})`);
      if (role) seen.add(role);
    });
    if (!seen.has('user') || !seen.has('item'))
      throw new ValidationError(`readInteractions: columns ${JSON.stringify(c)} must list both user and item`);
    return;
  }
  if (c === null || typeof c !== 'object')
    throw new ValidationError(
      'readInteractions: columns must be an object { user, item, value?, timestamp? } or a list of roles by position',
    );
  for (const [k, v] of Object.entries(c)) {
    if (!(ROLES as readonly string[]).includes(k))
      throw new ValidationError(
        `readInteractions: unknown column role ${JSON.stringify(k)}; expected user, item, value, timestamp`,
      );
    if (v === null && (k === 'value' || k === 'timestamp')) continue;
    if (v === undefined) continue;
    if (typeof v === 'string' && v.length > 0) continue;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 1024) continue;
    throw new ValidationError(
      `readInteractions: columns.${k} must be a 0-based field position or a header name, got ${JSON.stringify(v)}`,
    );
  }
}

/** Where a plan is made, for messages. */
export interface PlanContext {
  source: string;
  line: number;
  /** The format's name, when a named format's column names were not found. */
  format: string;
}

const quoted = (names: readonly string[]): string => names.map((x) => JSON.stringify(x)).join(', ');

/**
 * Decide the field of each role. `header` is the header line's fields (undefined without one);
 * `fieldCount` the number of fields of the first line.
 */
export function planColumns(
  spec: ColumnSpec | undefined,
  header: readonly string[] | undefined,
  fieldCount: number,
  at: PlanContext,
): ColumnPlan {
  const pos: Record<ColumnRole, number> = { user: -1, item: -1, value: -1, timestamp: -1 };
  if (Array.isArray(spec)) {
    spec.forEach((entry, k) => {
      const role = roleOfListEntry(entry, k);
      if (role) pos[role] = k;
    });
  } else if (spec !== undefined && Object.keys(spec).some((k) => (spec as Record<string, unknown>)[k] !== undefined)) {
    fromSpec(spec as Exclude<ColumnSpec, readonly unknown[]>, header, fieldCount, pos, at);
  } else if (header) {
    fromHeader(header, pos, at);
  } else {
    byPosition(fieldCount, pos);
  }
  const labels = {} as Record<ColumnRole, string>;
  for (const role of ROLES)
    labels[role] =
      header && pos[role] >= 0 && header[pos[role]] !== undefined ? `${role} "${header[pos[role]]}"` : role;
  return { ...pos, labels };
}

/** Roles not given take their conventional position when it is free and present. */
function byPosition(
  fieldCount: number,
  pos: Record<ColumnRole, number>,
  given: ReadonlySet<ColumnRole> = new Set(),
): void {
  const taken = new Set(ROLES.filter((r) => given.has(r)).map((r) => pos[r]));
  ROLES.forEach((role, k) => {
    if (given.has(role) || taken.has(k)) return;
    if (role === 'user' || role === 'item' || k < fieldCount) pos[role] = k;
  });
}

function fromSpec(
  spec: Exclude<ColumnSpec, readonly unknown[]>,
  header: readonly string[] | undefined,
  fieldCount: number,
  pos: Record<ColumnRole, number>,
  at: PlanContext,
): void {
  const given = new Set<ColumnRole>();
  for (const role of ROLES) {
    const c = spec[role];
    if (c === undefined) continue;
    given.add(role);
    if (c === null) continue;
    if (typeof c === 'number') {
      pos[role] = c;
      continue;
    }
    if (!header) {
      throw new ValidationError(
        `readInteractions: columns.${role} is ${JSON.stringify(c)}, a header name, but ${at.source} has no header line (pass header: true, or give a 0-based position)`,
      );
    }
    let k = header.indexOf(c);
    if (k < 0) k = header.findIndex((x) => x.toLowerCase() === c.toLowerCase());
    if (k < 0) {
      const other =
        at.format === 'delimited' || at.format === 'auto'
          ? ''
          : `; if this is not a ${at.format} file, read it with format 'auto' (the default)`;
      throw new ParseError(
        `the header has no column ${JSON.stringify(c)} for ${role} (header: ${quoted(header)})${other}`,
        { source: at.source, line: at.line },
      );
    }
    pos[role] = k;
  }
  // The rest: by name from the header, else by position.
  if (header) {
    const found: Record<ColumnRole, number> = { user: -1, item: -1, value: -1, timestamp: -1 };
    matchNames(header, found, at, given);
    const used = new Set(ROLES.map((r) => pos[r]).filter((k) => k >= 0));
    for (const role of ROLES)
      if (!given.has(role) && found[role] >= 0 && !used.has(found[role])) pos[role] = found[role];
    if (pos.user < 0 || pos.item < 0)
      byPosition(fieldCount, pos, new Set(ROLES.filter((r) => given.has(r) || pos[r] >= 0)));
  } else {
    byPosition(fieldCount, pos, given);
  }
}

/**
 * Each role's best-matching header field (-1 if none). Two fields with one name for a role are an error,
 * unless the caller gave that role (`given`).
 */
function matchNames(
  header: readonly string[],
  found: Record<ColumnRole, number>,
  at: PlanContext,
  given: ReadonlySet<ColumnRole> = new Set(),
): void {
  const rank: Record<ColumnRole, number> = { user: Infinity, item: Infinity, value: Infinity, timestamp: Infinity };
  header.forEach((name, k) => {
    const m = ROLE_OF_KEY.get(columnKey(name));
    if (!m || given.has(m.role)) return;
    if (m.rank < rank[m.role]) {
      rank[m.role] = m.rank;
      found[m.role] = k;
    } else if (m.rank === rank[m.role]) {
      throw columnsError(`two columns could be the ${m.role}: ${quoted([header[found[m.role]], name])}`, header, at);
    }
  });
}

function fromHeader(header: readonly string[], pos: Record<ColumnRole, number>, at: PlanContext): void {
  matchNames(header, pos, at);
  if (pos.user >= 0 && pos.item >= 0) return;
  const named = { ...pos };
  const missing = (['user', 'item'] as const).filter((r) => pos[r] < 0);
  const free = header.map((_, k) => k).filter((k) => !ROLES.some((r) => named[r] === k));
  if (pos.user < 0 && pos.item < 0) {
    // A header naming neither users nor items is taken as labels of the usual layout (user, item, value,
    // timestamp) — unless a field it does name (a rating, a time) would then be read as an id.
    for (const [role, k] of [
      ['user', 0],
      ['item', 1],
    ] as const) {
      const clash = ROLES.find((r) => named[r] === k);
      if (clash)
        throw columnsError(
          `cannot tell which columns hold the users and items (${JSON.stringify(header[k])} looks like the ${clash})`,
          header,
          at,
          named,
        );
      pos[role] = k;
    }
    byPosition(header.length, pos, new Set(ROLES.filter((r) => pos[r] >= 0)));
    return;
  }
  // One of the two is named: the other is the one field left unnamed, if exactly one is.
  if (free.length !== 1) throw columnsError(`cannot tell which column holds the ${missing[0]}s`, header, at, named);
  pos[missing[0]] = free[0];
}

/** A ColumnsError whose message shows the header, what was recognised, and a `columns` value that fixes it. */
function columnsError(
  what: string,
  header: readonly string[],
  at: PlanContext,
  found: Record<ColumnRole, number> = { user: -1, item: -1, value: -1, timestamp: -1 },
): ColumnsError {
  const seen = ROLES.filter((r) => found[r] >= 0).map((r) => `${r} ${JSON.stringify(header[found[r]])}`);
  const suggested = suggestColumns(header, found);
  return new ColumnsError(
    `${what}; the header has ${quoted(header)}${seen.length ? ` (recognised: ${seen.join(', ')})` : ''}. Say which is which with the columns option, ` +
      `e.g. columns: { ${Object.entries(suggested)
        .map(([r, name]) => `${r}: ${JSON.stringify(name)}`)
        .join(', ')} }`,
    { source: at.source, line: at.line },
    header,
    found,
    suggested,
  );
}

/** Header names per role for the message: what was recognised, plus the first unclaimed fields for user and item. */
function suggestColumns(
  header: readonly string[],
  found: Record<ColumnRole, number>,
): Partial<Record<ColumnRole, string>> {
  const pick = { ...found };
  const free = header.map((_, k) => k).filter((k) => !ROLES.some((r) => pick[r] === k));
  for (const role of ['user', 'item'] as const) if (pick[role] < 0 && free.length) pick[role] = free.shift()!;
  const out: Partial<Record<ColumnRole, string>> = {};
  for (const r of ROLES) if (pick[r] >= 0) out[r] = header[pick[r]];
  return out;
}
