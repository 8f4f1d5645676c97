// Loaded with import() after the ImplicitALS part: not in the first download of a code-splitting bundle.
export { truncatedSVD, terminate } from 'lowrank';
// The subpaths, as a bundler resolves them through package.json "exports".
export { readNpy, writeNpy } from 'lowrank/formats';
export { RecommenderBase } from 'lowrank/advanced';
