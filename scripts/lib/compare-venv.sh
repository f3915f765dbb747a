# shellcheck shell=bash
# Sourced by the comparison scripts (scripts/compare-*): one cached Python virtual environment at
# .venv-compare/ in the repository root (gitignored), shared by all of them and created on first
# use, with NumPy and PyTorch from PyPI (PyTorch runs on the CPU here; its wheel pulls several GB
# of CUDA libraries, once).
#
#   source "$(dirname "$0")/lib/compare-venv.sh"
#   compare_venv_setup [extra-pypi-package ...]   # then run "$COMPARE_PYTHON" script.py

compare_venv_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/.venv-compare"

# Creates the environment if it is missing, installs whichever of NumPy, PyTorch and the extra
# packages it lacks, and sets COMPARE_PYTHON to its interpreter. Quiet when all is there.
compare_venv_setup() {
  local packages=(numpy torch "$@")
  local python="$compare_venv_dir/bin/python"
  if ! command -v python3 >/dev/null 2>&1; then
    echo "compare: python3 is missing; install it (apt-get install python3 python3-venv)" >&2
    return 1
  fi
  if [ ! -x "$python" ]; then
    echo "compare: creating the shared comparison environment $compare_venv_dir" >&2
    python3 -m venv "$compare_venv_dir"
  fi
  local missing
  missing=$("$python" - "${packages[@]}" <<'PY'
import importlib.metadata, sys
for name in sys.argv[1:]:
    try:
        importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        print(name)
PY
)
  if [ -n "$missing" ]; then
    # shellcheck disable=SC2086 # one package name per word
    echo "compare: installing" $missing "into $compare_venv_dir (PyTorch is a large download)" >&2
    # shellcheck disable=SC2086
    "$python" -m pip install --quiet $missing
  fi
  COMPARE_PYTHON="$python"
}
