#!/bin/sh
# Build the sdist and wheel, install the wheel with the [emulator] extra into a fresh virtual
# environment, and run the installed `pysophos` against the emulator.
#
#   scripts/check_wheel.sh            # builds into dist/ with .venv/bin/python (or $PYTHON)
#   scripts/check_wheel.sh --no-build # checks the wheel already in dist/
#
# Catches what tests from the source tree cannot: files missing from the wheel, a wrong entry
# point, an undeclared dependency, a version that differs from src/pysophoscentralapi/_version.py.
set -eu

root="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$root/.venv/bin/python}"
[ -x "$python" ] || python="python3"

if [ "${1:-}" != "--no-build" ]; then
    rm -rf "$root/dist"
    "$python" -m build --outdir "$root/dist" "$root"
    "$python" -m twine check "$root"/dist/*
fi

set -- "$root"/dist/*.whl
[ "$#" -eq 1 ] && [ -f "$1" ] || { echo "expected exactly one wheel in dist/, found: $*" >&2; exit 1; }
wheel="$1"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel[emulator]"

# Run from an empty directory with no settings from this shell, so nothing from the source tree
# or the developer's config can be picked up.
cd "$work"
for var in $(env | sed -n 's/^\(SOPHOS_[A-Z_]*\)=.*/\1/p'); do unset "$var"; done
export HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_CACHE_HOME="$work/cache"

expected="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/src/pysophoscentralapi/_version.py")"
version="$("$work/venv/bin/pysophos" --version)"
echo "$version"
[ "$version" = "pysophos $expected" ] || { echo "expected version $expected" >&2; exit 1; }

"$work/venv/bin/pysophos" --emulator endpoint list --limit 3 -o csv --fields id,hostname > out.csv
cat out.csv
rows="$(wc -l < out.csv)"
[ "$rows" -eq 4 ] || { echo "expected a header and 3 rows, got $rows lines" >&2; exit 1; }
"$work/venv/bin/python" -c "import pysophoscentralapi, pysophoscentralapi.emulator; print('import ok', pysophoscentralapi.__file__)"
echo "wheel check passed: $(basename "$wheel")"
