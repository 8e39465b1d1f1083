# Sourced by run.sh and profile.sh (which set $here and $root): squeezenet-peer.sh (SqueezeNet as $onnx, the
# Python peer, the classpath $cp), and the same threads on both sides.
. "$here/../squeezenet-peer.sh"
# the same number of intra-op threads on both sides (THREADS, default 1: the machine is shared), and OpenMP
# threads that sleep instead of spinning when they wait (spinning threads collapse on a busy machine)
export THREADS="${THREADS:-1}"
# OMP_WAIT_POLICY=default leaves libgomp's own policy (spin a while, then sleep), which is what the kernel runs with
if [ "${OMP_WAIT_POLICY:-PASSIVE}" = default ]; then unset OMP_WAIT_POLICY; else
  export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"; fi
# as the kernel runs (its kernel.json sets it): libtorch's large arrays on transparent huge pages
export THP_MEM_ALLOC_ENABLE="${THP_MEM_ALLOC_ENABLE:-1}"
