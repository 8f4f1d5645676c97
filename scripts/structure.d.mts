// Types of scripts/structure.mjs (imported by test/arch/architecture.test.ts).
import ts from 'typescript';

export { ts };
export const ROOT: string;
export const SRC: string;
export function sourceFiles(dir?: string): string[];
export function parse(name: string, text: string): ts.SourceFile;
export function parseSources(dir?: string): Map<string, ts.SourceFile>;
export function walk(node: ts.Node, visit: (n: ts.Node) => void): void;
export function lineOf(sf: ts.SourceFile, pos: number): number;
export function lineCount(text: string): number;
export function importsOf(file: string, sf: ts.SourceFile): string[];
export function importGraph(parsed: Map<string, ts.SourceFile>): Map<string, string[]>;
export function folderOf(file: string): string;
export function cycles(edges: Map<string, Iterable<string>>): string[][];
export function folderGraph(graph: Map<string, string[]>): {
  edges: Map<string, Set<string>>;
  witness: (a: string, b: string) => string | undefined;
};
export function folderCycles(graph: Map<string, string[]>): { folders: string[]; imports: string[] }[];
export interface FunctionInfo {
  file: string;
  name: string;
  line: number;
  lines: number;
  comment: string;
}
export function functionsOf(file: string, sf: ts.SourceFile): FunctionInfo[];
export function assemblyExports(
  dir?: string,
): Map<string, { file: string; params: { name: string; type: string }[]; returns: string }>;
export function twinParameters(parsed: Map<string, ts.SourceFile>): Map<string, { file: string; params: string[] }>;
export interface EntryExport {
  name: string;
  kind: 'value' | 'type';
  from: string;
}
export function entriesExports(entries?: string[]): Map<string, EntryExport[]>;
export function entryExports(entry?: string): EntryExport[];
