/**
 * The Python literals of NumPy's `.npy` headers (`{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}`).
 * @module
 */
const SCALAR = /True|False|None|-?\d+L?/y;

/**
 * Parse the Python literal subset numpy writes in headers: dicts, tuples, lists, strings, integers,
 * True/False/None. Throws a plain Error saying what is wrong (the caller wraps it).
 */
export function parsePyLiteral(text: string): unknown {
  let i = 0;
  let depth = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const value = (): unknown => {
    ws();
    const c = text[i];
    if (++depth > 32) throw new Error('nested too deeply');
    try {
      return valueAt(c);
    } finally {
      depth--;
    }
  };
  const valueAt = (c: string): unknown => {
    if (c === '{') {
      i++;
      const out: Record<string, unknown> = Object.create(null);
      for (;;) {
        ws();
        if (text[i] === '}') {
          i++;
          return out;
        }
        const k = value();
        if (typeof k !== 'string') throw new Error('dict keys must be strings');
        ws();
        if (text[i++] !== ':') throw new Error(`expected ':' at ${i - 1}`);
        out[k] = value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') throw new Error(`expected ',' or '}' at ${i}`);
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const out: unknown[] = [];
      for (;;) {
        ws();
        if (text[i] === close) {
          i++;
          return out;
        }
        out.push(value());
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== close) throw new Error(`expected ',' or '${close}' at ${i}`);
      }
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Error('unterminated string');
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    SCALAR.lastIndex = i;
    const m = SCALAR.exec(text);
    if (!m) throw new Error(`unexpected ${JSON.stringify(text.slice(i, i + 10))}`);
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    if (m[0] === 'None') return null;
    return Number(m[0].replace('L', ''));
  };
  const v = value();
  ws();
  if (i !== text.length) throw new Error(`trailing text ${JSON.stringify(text.slice(i, i + 10))}`);
  return v;
}
