// Loaded with import() after the ImplicitALS part: not in the first download of a code-splitting bundle.
export { truncatedSVD, terminate } from 'lowrank';
