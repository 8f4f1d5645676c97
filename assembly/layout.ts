// Layout helpers shared by the kernel files (not module exports: index.ts does not re-export this file).

/** k rounded up to a multiple of 4: the row stride kp of k×k blocks and the length of padded vectors. */
@inline export function rnd4(k: i32): i32 {
  return (k + 3) & ~3;
}
