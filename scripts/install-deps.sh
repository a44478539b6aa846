#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Install every Debian package winiommu's build, tests and demo need.
# Idempotent: does nothing when everything is present.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKGS=(
	make gcc libc6-dev bc flex bison libelf-dev libssl-dev dwarves kmod
	python3 cpio gzip xz-utils busybox-static debootstrap
	qemu-system-x86 qemu-system-arm ipxe-qemu
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
	linux-source-6.12 linux-source-6.1 sparse dkms gnuplot-nox
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
	log "install-deps: all ${#PKGS[@]} packages present"
	exit 0
fi
need_root "scripts/install-deps.sh"
log "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! stamp apt-updated-$(date +%Y%m%d); then
	apt-get update -q >/dev/null
	stamp_set apt-updated-$(date +%Y%m%d)
fi
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
log "install-deps: done"
