#!/usr/bin/env bash
# Runs `temis ci github` for the temis action, with the action's inputs (INPUT_*, mapped in
# action.yml) turned into arguments. Input values are only ever expanded as quoted words, never
# evaluated. The exit code is temis's: 0 APPROVED (or BLOCKED with fail-on-blocked false),
# 1 BLOCKED, 2 could not judge.
set -euo pipefail
unset CDPATH BASH_ENV ENV

temis=${TEMIS_BIN:-temis}
args=(ci github)
[ -n "${INPUT_POLICY:-}" ] && args+=(--policy "$INPUT_POLICY")
[ -n "${INPUT_PHASE:-}" ] && args+=(--phase "$INPUT_PHASE")
[ -n "${INPUT_PLAN:-}" ] && args+=(--plan "$INPUT_PLAN")
[ -n "${INPUT_BASE:-}" ] && args+=(--base "$INPUT_BASE")
args+=(--comment "${INPUT_COMMENT:-on}")
args+=(--check-run "${INPUT_CHECK_RUN:-true}")
args+=(--annotations "${INPUT_ANNOTATIONS:-10}")
args+=(--fail-on-blocked "${INPUT_FAIL_ON_BLOCKED:-true}")
# A working-directory below the repository root with a temis.toml of its own (a monorepo
# package's) is judged as its own root: its policy and its reports. (temis refuses to choose
# between that policy and the root's without --root.)
if [ -z "${INPUT_POLICY:-}" ] && [ -f temis.toml ]; then
  top=$(git rev-parse --show-toplevel 2>/dev/null || true)
  if [ -n "$top" ] && [ "$(cd "$top" && pwd -P)" != "$(pwd -P)" ]; then args+=(--root .); fi
fi

# Reports: words separated by spaces or new lines; globs (with **) expand here, and a pattern
# that matches nothing is passed as written so that temis names it as missing.
shopt -s nullglob
shopt -s globstar 2>/dev/null || true # bash 4+; `**` is then a plain `*`
words=()
read -r -d '' -a words <<< "${INPUT_REPORTS:-}" || true
reports=()
for w in ${words[@]+"${words[@]}"}; do
  matches=($w)
  if [ ${#matches[@]} -eq 0 ]; then reports+=("$w"); else reports+=("${matches[@]}"); fi
done
[ ${#reports[@]} -gt 0 ] && args+=(--)
exec "$temis" "${args[@]}" ${reports[@]+"${reports[@]}"}
