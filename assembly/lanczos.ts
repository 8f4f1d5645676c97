// lanczos kernels. Empty until that work lands.
