# Sourced by the benchmarks that measure a Python PyTorch peer: makes sure Debian's python3-torch (and
# python3-onnx) are there, and that its BLAS is OpenBLAS built on OpenMP. Debian's torch 1.13 is built against the
# generic libblas.so.3 and runs whatever that alternative points to; with the reference BLAS that python3-torch
# pulls in, its convolutions take 3-5x longer (a 128-px feature-visualisation step: 129 ms against 27 ms with
# OpenBLAS), which would make the peer look far slower than PyTorch is. The OpenMP build, because then
# torch.set_num_threads(n) governs the BLAS too: the pthreads build runs its own pool of one thread per core, so a
# "one-thread" peer would multiply its matrices on every core.
blas=/usr/lib/x86_64-linux-gnu/openblas-openmp
peer_packages="python3-torch python3-onnx libopenblas0-openmp"
if ! /usr/bin/python3 -c 'import torch, onnx' 2>/dev/null || [ ! -e "$blas/libblas.so.3" ]; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q $peer_packages >/dev/null; else
    echo "install Debian's $peer_packages first"; exit 1; fi
fi
if [ "$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)" != "$blas/libblas.so.3" ] && [ "$(id -u)" = 0 ]; then
  update-alternatives --set libblas.so.3-x86_64-linux-gnu "$blas/libblas.so.3" >/dev/null
  update-alternatives --set liblapack.so.3-x86_64-linux-gnu "$blas/liblapack.so.3" >/dev/null
fi
peer_blas="$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)"
case "$peer_blas" in
  *openblas-openmp*) ;;
  *openblas*) echo "warning: the Python peer's BLAS is $peer_blas: its own thread pool ignores THREADS" >&2 ;;
  *) echo "warning: the Python peer's BLAS is $peer_blas, not OpenBLAS: its figures will be far too slow" >&2 ;;
esac
