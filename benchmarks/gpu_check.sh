#!/usr/bin/env bash
# The GPU checks of issue 15 in one go, where a device is lent: the array-API tests on
# CuPy and torch (CUDA) -- they skip cleanly without a GPU -- and the GPU part of the
# backends benchmark (Rosenbrock gradient at 10**8 points, CuPy and torch through the
# array-API target vs jax.jit on the same GPU).  Run from the repository root:
#     bash benchmarks/gpu_check.sh          (add --quick for 10**6 points)
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONPATH="${PYTHONPATH:+$PYTHONPATH:}$PWD"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || echo "no nvidia-smi"
python3 -m pytest -q -p no:cacheprovider -rs -k "gpu" tests/symdiff/codegen/test_targets_array_api.py
python3 benchmarks/backends.py --gpu "$@"
