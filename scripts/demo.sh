#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: boot a QEMU guest with a real IOMMU and QEMU's edu DMA device,
# load winiommu and its users, and show what they print.
#
# usage: demo.sh IOMMU KERNEL
#   IOMMU:  virtio | intel | amd | smmuv3      KERNEL: 6.1 | 6.12 | 7.2
#   smmuv3 boots Debian's arm64 6.12 kernel; the others boot x86_64.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

iommu=${1:-virtio} kernel=${2:-6.12}

case "$iommu/$kernel" in
virtio/6.1)
	die "Debian's 6.1 amd64 kernel has no virtio-iommu driver; use IOMMU=intel or amd with KERNEL=6.1" ;;
virtio/6.12 | virtio/7.2 | intel/6.1 | intel/6.12 | intel/7.2 | amd/6.1 | amd/6.12 | amd/7.2)
	name=$kernel arch=x86_64 ;;
smmuv3/6.12)
	name=arm64-6.12 arch=arm64 ;;
smmuv3/*)
	die "SMMUv3 runs on the arm64 guest, which uses Debian's 6.12 kernel: KERNEL=6.12" ;;
*)
	die "unknown pair IOMMU=$iommu KERNEL=$kernel (IOMMU: virtio intel amd smmuv3; KERNEL: 6.1 6.12 7.2)" ;;
esac

"$TOPDIR/scripts/install-deps.sh"
"$TOPDIR/scripts/fetch-kernels.sh" "$name"

envf=$(kernel_env "$name")
get() { sed -n "s/^$1=//p" "$envf"; }
KDIR=$(get KDIR) KIMAGE=$(get KIMAGE) MODDIR=$(get MODDIR) CHROOT=$(get CHROOT)
BUSYBOX=$(get BUSYBOX)
[[ -n "$BUSYBOX" ]] || BUSYBOX=/bin/busybox

dst="$TOPDIR/build/demo-$name"
rm -rf "$dst" && mkdir -p "$dst"
(cd "$TOPDIR" && git ls-files -co --exclude-standard -- Makefile Kbuild Kconfig module include kunit samples |
	tar -cf - -T -) | tar -xf - -C "$dst"
margs=(KDIR="$KDIR")
[[ $arch == arm64 ]] && margs+=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
log "demo: building winiommu for $name"
if [[ -n "$CHROOT" ]]; then
	mkdir -p "$CHROOT/src"
	unshare -m bash -c "mount --bind '$dst' '$CHROOT/src' && mount -t proc proc '$CHROOT/proc' &&
		chroot '$CHROOT' make -C /src ${margs[*]} extmod" >"$dst/build.log" 2>&1
else
	make -C "$dst" "${margs[@]}" extmod >"$dst/build.log" 2>&1
fi || { tail -n 20 "$dst/build.log"; die "build failed"; }

mods=()
if [[ $iommu == virtio ]]; then
	mods+=(--load "$(find "$MODDIR" -name 'virtio-iommu.ko*' | head -n 1)" '')
fi
mods+=(--load "$dst/module/winiommu.ko" '')
mods+=(--test "$dst/samples/extmod/winiommu_extmod.ko" '')
"$TOPDIR/scripts/mkinitramfs.sh" "$dst/initrd.gz" "$BUSYBOX" "${mods[@]}"

log "demo: booting $arch Debian $kernel with $iommu and QEMU's edu device"
rc=0
"$TOPDIR/scripts/run-guest.sh" "$arch" "$iommu" "$KIMAGE" "$dst/initrd.gz" "$dst/console.log" || rc=$?
echo
sed -n '/^=== winiommu-init/,/^=== winiommu-done/p' "$dst/console.log"
echo
if ((rc == 0)); then
	echo "demo: winiommu loaded, its user ran, the guest shut down cleanly (log: $dst/console.log)"
else
	echo "demo: FAILED (log: $dst/console.log)"
fi
exit "$rc"
