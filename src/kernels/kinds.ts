/**
 * How a kernel is declared (src/kernels/declarations.ts says what each kind means): the argument kinds,
 * what a kernel returns, and `kernel()`, which types a declaration by its arguments. Apart from the table,
 * so that blocks of the contract kept in their own files (declarations-sgd.ts) use the same vocabulary.
 * @module
 */
import type { ElementKind } from './types.js';

/** A pointer to elements of one kind (`optional`: 0, i.e. an absent argument, means "none"). */
export interface PointerKind {
  readonly kind: 'ptr';
  readonly elem: ElementKind;
  readonly optional: boolean;
}
/** How a kernel argument is passed (see src/kernels/declarations.ts). */
export type ArgKind =
  | PointerKind
  | { readonly kind: 'scratch' }
  | { readonly kind: 'count' }
  | { readonly kind: 'flag' }
  | { readonly kind: 'scalar' };
/** What a kernel returns: nothing, an i32 (a count, a solver code), an f64 (a norm, a loss) or an address. */
export type ReturnKind = 'void' | 'i32' | 'f64' | 'usize';

/** A pointer argument's kind. */
const pointer = <E extends ElementKind, O extends boolean>(elem: E, optional: O) =>
  ({ kind: 'ptr', elem, optional }) as const;
export const f32 = pointer('f32', false);
export const f64 = pointer('f64', false);
export const i32 = pointer('i32', false);
export const f32OrNone = pointer('f32', true);
export const f64OrNone = pointer('f64', true);
export const i32OrNone = pointer('i32', true);
export const count = { kind: 'count' } as const;
export const flag = { kind: 'flag' } as const;
export const scalar = { kind: 'scalar' } as const;
export const scratch = { kind: 'scratch' } as const;

/** A kernel's arguments by name, in call order. */
export type ArgKinds = Readonly<Record<string, ArgKind>>;
/** What `scratch` and `advance` read of a call: numbers as given, pointers as given or not (truthy or not). */
export type SizeArgs<A extends ArgKinds> = { readonly [N in keyof A]: A[N] extends PointerKind ? unknown : number };
/** The names of the arguments of A whose kind is T. */
export type NamesOf<A extends ArgKinds, T> = { [N in keyof A]: A[N] extends T ? N : never }[keyof A] & string;

/** A kernel's declaration beside its arguments. */
interface DeclBody<A extends ArgKinds> {
  readonly returns: ReturnKind;
  /** How the kernel can be split by rows (absent: it is only ever called whole). */
  readonly rows?:
    | { readonly r0: NamesOf<A, { kind: 'count' }>; readonly r1: NamesOf<A, { kind: 'count' }> }
    | {
        readonly count: NamesOf<A, { kind: 'count' }>;
        /** Elements each pointer moves per row (a number, or read from the call's arguments). */
        readonly advance?: { readonly [N in NamesOf<A, PointerKind>]?: number | ((a: SizeArgs<A>) => number) };
      };
  /** Bytes one thread's scratch needs, for a call with these arguments over rows of ≤ longestRow entries. */
  readonly scratch?: (a: SizeArgs<A>, longestRow: number) => number;
}

/** One kernel's declaration, typed loosely (for the runtime's generic code). */
export interface KernelDecl {
  readonly args: ArgKinds;
  readonly returns: ReturnKind;
  readonly rows?:
    | { readonly r0: string; readonly r1: string }
    | { readonly count: string; readonly advance?: Readonly<Record<string, number | ((a: never) => number)>> };
  readonly scratch?: (a: never, longestRow: number) => number;
}

/** A declaration: the arguments (in call order) and the rest. */
export function kernel<const A extends ArgKinds, const B extends DeclBody<A>>(
  args: A,
  body: B,
): { readonly args: A } & B {
  return { args, ...body };
}
