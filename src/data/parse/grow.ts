/**
 * Append-only typed arrays that double when full: the parser's column stores.
 * @internal
 * @module
 */
export class GrowF64 {
  a = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  /** Room for `n` more values (written to `a` past `length`, then kept by moving `length`). */
  reserve(n: number): void {
    if (this.length + n > this.a.length) {
      const b = new Float64Array(Math.max(2 * this.a.length, this.length + n));
      b.set(this.a.subarray(0, this.length));
      this.a = b;
    }
  }
  /** Push `v` `n` times. */
  pushRepeated(v: number, n: number): void {
    this.reserve(n);
    this.a.fill(v, this.length, this.length + n);
    this.length += n;
  }
  /** The filled part (a view). */
  get view(): Float64Array {
    return this.a.subarray(0, this.length);
  }
}

export class GrowI32 {
  a = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.length++] = v;
  }
  /** Push `v` `n` times. */
  pushRepeated(v: number, n: number): void {
    if (this.length + n > this.a.length) {
      const b = new Int32Array(Math.max(2 * this.a.length, this.length + n));
      b.set(this.a.subarray(0, this.length));
      this.a = b;
    }
    this.a.fill(v, this.length, this.length + n);
    this.length += n;
  }
  get view(): Int32Array {
    return this.a.subarray(0, this.length);
  }
}
