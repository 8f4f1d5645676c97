// vector kernels: see the foundation issue. Filled in by the kernels work.
