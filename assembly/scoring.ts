// scoring kernels. Empty until that work lands.
