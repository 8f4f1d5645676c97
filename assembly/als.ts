// als kernels. Empty until that work lands.
