#!/bin/sh
# temis-managed-hook 3 (@HOOK@): written by `temis hooks install`; `temis hooks uninstall` removes it
# and puts back the hook that was here before, byte for byte. That hook, if any, is kept beside
# this one as @HOOK@.pre-temis and runs first.
# Bypass once: git commit --no-verify (git push --no-verify for pre-push: every hook), or
# TEMIS_SKIP=@HOOK@ (temis's check only: the hook that was here before still runs; TEMIS_SKIP=all
# or 1 skips every temis hook; TEMIS_SKIP=secrets only the staged-secrets check).
hook=@HOOK@
installed_bin=@BIN@

legacy="${0%/*}/$hook.pre-temis"
stdin=
if [ -x "$legacy" ]; then
    # A POSIX sh hook is read by a shell of its own whose $0 is the name git ran: husky's stubs
    # run `.husky/$(basename "$0")`, and run as $hook.pre-temis they ran nothing. (Its own
    # shell: read here, after `||`, its `set -e` would not stop it where sh is bash.) Others are
    # run as they are.
    first=
    IFS= read -r first <"$legacy" || :
    case $first in
    '#!/bin/sh') run_legacy() { /bin/sh -c 'temis_kept=$1; shift; . "$temis_kept"' "$0" "$legacy" "$@"; } ;;
    '#!/usr/bin/env sh') run_legacy() { sh -c 'temis_kept=$1; shift; . "$temis_kept"' "$0" "$legacy" "$@"; } ;;
    *) run_legacy() { "$legacy" "$@"; } ;;
    esac
    if [ "$hook" = pre-push ]; then
        # git's ref lines, each ending in a line break, or nothing at all (everything up to date).
        stdin=$(cat)
        { [ -z "$stdin" ] || printf '%s\n' "$stdin"; } | run_legacy "$@" || exit $?
    else
        run_legacy "$@" || exit $?
    fi
fi

case ",${TEMIS_SKIP:-}," in
*,all,* | *,1,* | *,"$hook",*) exit 0 ;;
esac

if [ -n "${TEMIS_BIN:-}" ] && [ -x "$TEMIS_BIN" ]; then
    bin=$TEMIS_BIN
elif [ -x "$installed_bin" ]; then
    bin=$installed_bin
else
    bin=$(command -v temis 2>/dev/null) || bin=
fi

if [ -z "$bin" ]; then
    # prepare-commit-msg only pre-fills the message and still runs under --no-verify: never block there.
    [ "$hook" = prepare-commit-msg ] && exit 0
    if [ ! -f temis.toml ]; then
        echo "temis: $hook hook skipped: the temis binary was not found (no temis.toml here, so not blocking)" >&2
        exit 0
    fi
    cat >&2 <<MSG
temis: the $hook hook cannot run: the temis binary was not found.
  looked at: \$TEMIS_BIN (${TEMIS_BIN:-unset}), $installed_bin (recorded by \`temis hooks install\`),
  and PATH=$PATH
  This repository has a temis policy (temis.toml), so the hook fails closed rather than let the
  change through unchecked.
  fix: install temis again, or point TEMIS_BIN at it (GUI git clients often have a shorter PATH);
       \`temis hooks doctor\` checks the set-up.
  bypass once: git commit --no-verify   (git push --no-verify for pre-push)
           or: TEMIS_SKIP=$hook git ...   (TEMIS_SKIP=all skips every temis hook)
MSG
    exit 1
fi

if [ "$hook" = pre-push ] && [ -x "$legacy" ]; then
    { [ -z "$stdin" ] || printf '%s\n' "$stdin"; } | "$bin" hook "$hook" "$@"
    exit $?
fi
exec "$bin" hook "$hook" "$@"
