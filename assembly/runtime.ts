// Where the JS-side allocator may start handing out memory: everything below is static data.
export function heapBase(): usize {
  return __heap_base;
}
