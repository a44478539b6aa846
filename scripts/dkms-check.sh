#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Check dkms.conf: dkms add, build and install winiommu for the Debian 6.12
# kernel ($CACHE/kernels/6.12/env) from a copy of the tree, with every tree
# dkms uses in build/dkms/ (--sourcetree, --dkmstree, --installtree, its
# temporary files and module signing key too, and no depmod), so that
# nothing is written to /usr/src, /var/lib/dkms or /lib/modules.  Then
# winiommu.ko must be in the scratch install tree with the kernel's
# vermagic, dkms remove must take it out again, and the scratch trees are
# deleted (the log stays in build/dkms-check.log).
#
# Installs nothing (dkms comes with scripts/install-deps.sh); needs root,
# as dkms install does.  Prints "dkms<TAB>PASS|FAIL<TAB>DETAIL" on stdout,
# the end of the log on stderr on failure.  Exits 0 only on PASS.
#
# usage: dkms-check.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

W="$TOPDIR/build/dkms"
LOG="$TOPDIR/build/dkms-check.log"
t0=$(date +%s)

fail() {
	printf 'dkms\tFAIL\t%s\n' "$1"
	[[ -s "$LOG" ]] && tail -n 25 "$LOG" >&2
	rm -rf "$W"
	exit 1
}

rm -rf "$W"
mkdir -p "$W" "$(dirname "$LOG")"
: >"$LOG"
command -v dkms >/dev/null || fail "dkms is not installed (run scripts/install-deps.sh)"
[[ $(id -u) -eq 0 ]] || fail "must run as root (dkms install refuses otherwise)"
envf="$CACHE/kernels/6.12/env"
[[ -f "$envf" ]] || fail "kernel 6.12 is not fetched (run scripts/fetch-kernels.sh)"
KVER=$(sed -n 's/^KVER=//p' "$envf")
KDIR=$(sed -n 's/^KDIR=//p' "$envf")
MODDIR=$(sed -n 's/^MODDIR=//p' "$envf")
[[ -n "$KVER" && -d "$KDIR" ]] || fail "no headers for $KVER ($envf)"

# dkms.conf is where the version is written.
name=$(sed -n 's/^PACKAGE_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$TOPDIR/dkms.conf")
ver=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$TOPDIR/dkms.conf")
[[ $name == winiommu && -n "$ver" ]] || fail "dkms.conf: PACKAGE_NAME=$name PACKAGE_VERSION=$ver"

# The source tree as a user puts it in /usr/src/winiommu-<version>.
src="$W/src/$name-$ver"
mkdir -p "$src" "$W/dkms" "$W/install/$KVER" "$W/tmp"
if git -C "$TOPDIR" rev-parse --git-dir >/dev/null 2>&1; then
	copy_sources "$src"
else
	(cd "$TOPDIR" && tar --exclude=./build --exclude=./.git -cf - .) | tar -xf - -C "$src"
fi

# Everything dkms writes goes under $W; a marker tells whether anything
# else changed.
touch "$W/marker"
export TMPDIR="$W/tmp"
export mok_signing_key="$W/mok.key" mok_certificate="$W/mok.pub"
trees=(--sourcetree "$W/src" --dkmstree "$W/dkms" --installtree "$W/install")
run() {
	echo "+ dkms $*" >>"$LOG"
	dkms "$@" >>"$LOG" 2>&1
}
run add -m "$name" -v "$ver" "${trees[@]}" || fail "dkms add failed, see $LOG"
run build -m "$name" -v "$ver" -k "$KVER" "${trees[@]}" --kernelsourcedir "$KDIR" ||
	fail "dkms build failed, see $LOG"
run install -m "$name" -v "$ver" -k "$KVER" "${trees[@]}" --kernelsourcedir "$KDIR" --no-depmod ||
	fail "dkms install failed, see $LOG"
run status -m "$name" -v "$ver" "${trees[@]}" || true

ko=$(find "$W/install/$KVER" -name "$name.ko*" | head -n 1)
[[ -n "$ko" ]] || fail "winiommu.ko is not in the install tree, see $LOG"
where=${ko#"$W/install/$KVER"}
vermagic=$(modinfo -F vermagic "$ko" 2>>"$LOG") || fail "modinfo cannot read $ko"
# The kernel's own vermagic, from one of its modules when we have them.
want=
if [[ -n "$MODDIR" && -d "$MODDIR" ]]; then
	stock=$(find "$MODDIR/kernel" -name '*.ko*' -print -quit 2>/dev/null || true)
	[[ -n "$stock" ]] && want=$(modinfo -F vermagic "$stock" 2>/dev/null || true)
fi
if [[ -n "$want" ]]; then
	[[ "$vermagic" == "$want" ]] || fail "vermagic '$vermagic', the kernel's is '$want'"
else
	[[ "${vermagic%% *}" == "$KVER" ]] || fail "vermagic '$vermagic' is not for $KVER"
fi

signer=$(modinfo -F signer "$ko" 2>/dev/null || true)

run remove -m "$name" -v "$ver" --all "${trees[@]}" --no-depmod || fail "dkms remove failed, see $LOG"
left=$(find "$W/install/$KVER" -name "$name.ko*" | head -n 1)
[[ -z "$left" ]] || fail "dkms remove left ${left#"$W/install/"}"

touched=$(find /lib/modules /var/lib/dkms /usr/src -newer "$W/marker" -print -quit 2>/dev/null || true)
[[ -z "$touched" ]] || fail "$touched changed outside the scratch trees"

rm -rf "$W"
printf 'dkms\tPASS\t%s\n' "$name $ver for $KVER: $where${signer:+ (signed: $signer)}, vermagic '${vermagic% }', $(since "$t0") s"
