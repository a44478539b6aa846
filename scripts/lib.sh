#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Shared helpers for winiommu's scripts: where the cache lives, which Debian
# kernels we use, logging, and small utilities.  Sourced, never run.

[[ -n "${WINIOMMU_LIB_SOURCED:-}" ]] && return 0
WINIOMMU_LIB_SOURCED=1

TOPDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${WINIOMMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/winiommu}
SHARED=${WINIOMMU_SHARED:-$TOPDIR/../shared}

# The one place that names Debian's mirror.
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# Kernel series we test.  Exact versions are resolved from apt at fetch time
# and recorded in $CACHE/kernels/<name>/env, so later stages read the same.
KERNELS_X86="6.1 6.12 7.2"

log()  { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }
need_root() {
	[[ $(id -u) -eq 0 ]] || die "$1 needs root (it installs Debian packages with apt); run it as root"
}

# stamp NAME: true if the stamp exists; stamp_set NAME: create it.
stamp()     { [[ -e "$CACHE/stamps/$1" ]]; }
stamp_set() { mkdir -p "$CACHE/stamps"; touch "$CACHE/stamps/$1"; }

# Newest package name matching an anchored regex, from the apt cache.
apt_newest() {
	apt-cache search --names-only "$1" | awk '{print $1}' | sort -V | tail -n 1
}

# kernel_env NAME: print the env file of a fetched kernel (6.1, 6.12, 7.2, arm64-6.12).
kernel_env() {
	local f="$CACHE/kernels/$1/env"
	[[ -f "$f" ]] || die "kernel $1 is not fetched (run scripts/fetch-kernels.sh)"
	echo "$f"
}

# Seconds since an epoch value, for stage timing.
since() { echo $(( $(date +%s) - $1 )); }

# load_kernel NAME: KDIR, KIMAGE, MODDIR, CHROOT and BUSYBOX (default
# /bin/busybox) of a fetched kernel, as globals.
load_kernel() {
	local envf
	envf=$(kernel_env "$1")
	KDIR=$(sed -n 's/^KDIR=//p' "$envf")
	KIMAGE=$(sed -n 's/^KIMAGE=//p' "$envf")
	MODDIR=$(sed -n 's/^MODDIR=//p' "$envf")
	CHROOT=$(sed -n 's/^CHROOT=//p' "$envf")
	BUSYBOX=$(sed -n 's/^BUSYBOX=//p' "$envf")
	[[ -n "$BUSYBOX" ]] || BUSYBOX=/bin/busybox
}

# What a build of the module and its users needs from the tree.
WINIOMMU_SOURCES=(Makefile Kbuild Kconfig module include kunit samples)

# copy_sources DST [PATH...]: the files git tracks (and new ones it does not
# ignore) under each PATH (all of them without one) into DST, as they are
# in the work tree.
copy_sources() {
	local dst=$1
	shift
	mkdir -p "$dst"
	(cd "$TOPDIR" && git ls-files -co --exclude-standard -- "$@" | tar -cf - -T -) |
		tar -xf - -C "$dst"
}
