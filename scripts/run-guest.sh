#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Boot one QEMU guest (TCG) for a (kernel, arch, IOMMU) triple with QEMU's edu
# DMA device, and save its console log.  Exits 0 when the guest reached the
# end marker with no kernel splat, 1 otherwise (the reason goes to stderr).
#
# usage: run-guest.sh ARCH IOMMU KERNEL_IMAGE INITRD LOG [EXTRA_APPEND]
#   ARCH: x86_64 | arm64      IOMMU: virtio | intel | amd | smmuv3 | none
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=$1 iommu=$2 kernel=$3 initrd=$4 logf=$5 extra=${6:-}
timeout_s=${WINIOMMU_GUEST_TIMEOUT:-600}
smp=${WINIOMMU_GUEST_SMP:-1}	# vCPUs (TCG: one host thread each)

# Two edu DMA devices: the tests bind the first with a driver_managed_dma
# driver and the second with a DMA-API driver.  edu's default dma_mask is
# 28 bits and silently clamps addresses; tests that want 28-bit behaviour
# set WINIOMMU_EDU_MASK.
edu="edu,dma_mask=${WINIOMMU_EDU_MASK:-0xffffffffffffffff}"
append="panic=-1 loglevel=7 $extra"

case "$arch/$iommu" in
x86_64/*)
	cmd=(qemu-system-x86_64 -accel tcg -m 1024 -smp "$smp" -nographic -no-reboot -nic none
	     -kernel "$kernel" -initrd "$initrd")
	append="console=ttyS0 $append"
	case "$iommu" in
	virtio) cmd+=(-M q35 -cpu max -device virtio-iommu-pci) ;;
	intel)  cmd+=(-M q35,kernel-irqchip=split -cpu max -device intel-iommu,intremap=on)
	        append+=" intel_iommu=on" ;;
	amd)    cmd+=(-M q35 -cpu EPYC -device amd-iommu) ;;
	none)   cmd+=(-M q35 -cpu max) ;;
	*) die "IOMMU $iommu does not exist on x86_64 (virtio, intel, amd, none)" ;;
	esac
	;;
arm64/*)
	cmd=(qemu-system-aarch64 -cpu cortex-a57 -accel tcg -m 1024 -smp "$smp" -nographic -no-reboot -nic none
	     -kernel "$kernel" -initrd "$initrd")
	append="console=ttyAMA0 $append"
	case "$iommu" in
	smmuv3) cmd+=(-M virt,iommu=smmuv3) ;;
	virtio) cmd+=(-M virt -device virtio-iommu-pci) ;;
	none)   cmd+=(-M virt) ;;
	*) die "IOMMU $iommu does not exist on arm64 (smmuv3, virtio, none)" ;;
	esac
	;;
*) die "unknown arch $arch" ;;
esac
cmd+=(-device "$edu" -device "$edu" -append "$append")

mkdir -p "$(dirname "$logf")"
echo "# ${cmd[*]}" >"$logf"
rc=0
timeout --foreground -k 10 "$timeout_s" "${cmd[@]}" </dev/null >>"$logf" 2>&1 || rc=$?
# strip the carriage returns of the serial console
sed -i 's/\r$//' "$logf"

# Kernel splats.  Boot-time advisories that merely contain "WARNING:" and
# say nothing about the code under test are listed, with their reason, in
# benign-console.txt.
bad=$(grep -nE 'BUG:|WARNING:|Oops|KASAN|Call Trace|possible circular locking|possible recursive locking|inconsistent lock state|Kernel panic|DEADLOCK|kmemleak: .*new suspected' "$logf" |
	grep -vEf <(grep -v '^#' "$TOPDIR/scripts/benign-console.txt") | head -n 5 || true)
if [[ -n "$bad" ]]; then
	echo "guest: kernel splat in $logf:" >&2
	echo "$bad" >&2
	exit 1
fi
if ! grep -q '^=== winiommu-done' "$logf"; then
	((rc == 124)) && echo "guest: timed out after ${timeout_s}s ($logf)" >&2 ||
		echo "guest: did not reach the end marker, qemu rc=$rc ($logf)" >&2
	exit 1
fi
exit 0
