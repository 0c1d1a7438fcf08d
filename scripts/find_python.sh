#!/usr/bin/env bash
# Print the newest Python 3.12+ this machine can run, for the dev environment (the Makefile calls
# this when PYTHON= is not given); print nothing when there is none.
# Tried in order: python3.19 ... python3.12 on PATH, then pyenv's newest installed 3.12+ (pyenv
# puts shims such as python3.13 on PATH even for versions that are not active, and they fail),
# then python3.
set -u
new_enough='import sys; sys.exit(sys.version_info < (3, 12))'
for minor in 19 18 17 16 15 14 13 12; do
  if "python3.$minor" -c "$new_enough" >/dev/null 2>&1; then
    echo "python3.$minor"
    exit 0
  fi
done
if command -v pyenv >/dev/null 2>&1; then
  version="$(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$' | sort -V | tail -n 1)"
  if [ -n "$version" ]; then
    candidate="$(PYENV_VERSION="$version" pyenv which python3 2>/dev/null)"
    if [ -n "$candidate" ] && "$candidate" -c "$new_enough" >/dev/null 2>&1; then
      echo "$candidate"
      exit 0
    fi
  fi
fi
if python3 -c "$new_enough" >/dev/null 2>&1; then
  echo python3
fi
