#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make demo: boot a QEMU guest with a real IOMMU and QEMU's edu DMA device,
# load winiommu and the edu sample (a driver written against the Windows
# DMA IOMMU interface), and show what the driver did and checked.
#
# usage: demo.sh IOMMU KERNEL [SCENARIO]
#   IOMMU:  virtio | intel | amd | smmuv3      KERNEL: 6.1 | 6.12 | 7.2
#   SCENARIO: translate (default) | passthrough | unmanaged
#   smmuv3 boots Debian's arm64 6.12 kernel; the others boot x86_64.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

iommu=${1:-virtio} kernel=${2:-6.12} scenario=${3:-translate}

case "$scenario" in
translate | passthrough | unmanaged) ;;
*) die "unknown SCENARIO=$scenario (translate, passthrough, unmanaged)" ;;
esac

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

load_kernel "$name"

dst="$TOPDIR/build/demo-$name"
rm -rf "$dst"
copy_sources "$dst" "${WINIOMMU_SOURCES[@]}"
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

mods=(--trace)
if [[ $iommu == virtio ]]; then
	mods+=(--load "$(find "$MODDIR" -name 'virtio-iommu.ko*' | head -n 1)" '')
fi
mods+=(--load "$dst/module/winiommu.ko" '')
mods+=(--test "$dst/samples/extmod/winiommu_extmod.ko" '')
mods+=(--test "$dst/samples/edu/winiommu_edu.ko" "scenario=$scenario")
"$TOPDIR/scripts/mkinitramfs.sh" "$dst/initrd.gz" "$BUSYBOX" "${mods[@]}"

log "demo: booting $arch Debian $kernel with $iommu and QEMU's edu device"
rc=0
"$TOPDIR/scripts/run-guest.sh" "$arch" "$iommu" "$KIMAGE" "$dst/initrd.gz" "$dst/console.log" \
	2>"$dst/why" || rc=$?
con="$dst/console.log"

# ---- the report -------------------------------------------------------------
case "$iommu" in
virtio) iommu_name="virtio-iommu, QEMU's paravirtualized IOMMU" ;;
intel)  iommu_name="Intel VT-d (intel-iommu), emulated by QEMU" ;;
amd)    iommu_name="AMD-Vi (amd-iommu), emulated by QEMU" ;;
smmuv3) iommu_name="Arm SMMUv3, emulated by QEMU" ;;
esac
# the lines of one module, from insmod to the marker END, without timestamps
section() {
	sed -n "/^=== insmod-begin $1\$/,/^=== $2 $1 rc=/p" "$con" |
		sed -E 's/^\[ *[0-9]+\.[0-9]+\] //'
}
count() { grep -cE "$@" || true; }

guest=$(sed -n 's/^=== winiommu-init //p' "$con")
edu=$(section winiommu_edu rmmod)
ext=$(section winiommu_extmod insmod)
report=$(sed -nE 's/^winiommu_edu [0-9a-f:.]+: //p' <<<"$edu" |
	grep -vE '^(Adding to iommu group|enabling device)' || true)
n_ok=$(grep -E '^    ok ' <<<"$edu" | count -v '# SKIP')
n_skip=$(count '^    ok .* # SKIP' <<<"$edu")
n_fail=$(count '^    not ok ' <<<"$edu")
ext_ok=$(count '^    ok ' <<<"$ext")
ext_all=$(count '^    (not )?ok ' <<<"$ext")
unload=$(sed -nE 's/^=== rmmod winiommu_edu rc=([0-9]+)$/\1/p' <<<"$edu")

cat <<EOF

==== winiommu demo ============================================================
winiommu gives Linux drivers the Windows kernel DMA IOMMU interface
(IoGetIommuInterfaceEx).  This demo boots a virtual machine with an IOMMU and
QEMU's "edu" device (a teaching PCI device with a DMA engine and a 4 KiB
buffer) and loads winiommu_edu: a driver whose DMA logic is written against
Windows' <wdm.h> (samples/edu/edu_windows.c) inside a small Linux PCI driver
(samples/edu/edu_linux.c).  At probe it sets up its DMA the Windows way and
copies data RAM -> device -> RAM through the IOMMU, checking every byte.

guest:    ${guest:-?} (QEMU, software-emulated CPU)
IOMMU:    $iommu_name
driver:   winiommu_edu scenario=$scenario
EOF
case "$scenario" in
translate)
	echo "          a Translate domain: the driver's buffers get logical (IO virtual)"
	echo "          addresses from the domain's allocator, and the IOMMU translates them" ;;
passthrough)
	echo "          a PassThrough domain: the device addresses RAM by its physical address" ;;
unmanaged)
	echo "          an Unmanaged domain: the driver owns the page tables; until it hands"
	echo "          them over (ConfigureDomain) DMA is blocked, then winiommu shadows them" ;;
esac
echo
echo "What the driver did and checked (its report in the kernel log):"
if [[ -n "$report" ]]; then
	sed 's/^/  /' <<<"$report"
else
	echo "  (no report: the driver did not run; see the console log)"
	rc=1
fi
echo
case "$scenario" in
translate)
	echo "Reading it: the hex numbers are logical (IO virtual) addresses, the only ones"
	echo "the device ever sees; the IOMMU translates them to the buffers' RAM pages."
	echo "\"verified\": every byte of the buffer is what the copies should have made it."
	echo "\"changed nothing\": the IOMMU dropped a device write to an address no longer mapped." ;;
passthrough)
	echo "Reading it: the hex numbers are physical RAM addresses; in a PassThrough domain"
	echo "the device uses them directly.  \"verified\": every byte is what the copies made it." ;;
unmanaged)
	echo "Reading it: the device's buffer held a known pattern; its writes landed nowhere"
	echo "until the driver configured its own tables, then exactly where they pointed, and"
	echo "nowhere again once it cleared the entry and flushed the address." ;;
esac
echo
debugfs=$(sed -n '/^=== debugfs-begin$/,/^=== debugfs-end$/p' "$con" | sed '1d;$d')
if [[ -n "$debugfs" ]]; then
	echo "What winiommu held while the driver was loaded (/sys/kernel/debug/winiommu):"
	sed 's/^/  /' <<<"$debugfs"
	echo
fi
events='create_domain_ex|attach_device_ex|attach_device_to_domain|map_logical_range_ex|map'
trace=$(sed -n '/^=== trace-begin$/,/^=== trace-end$/p' "$con" | sed '1d;$d' |
	grep -E ": ($events): " | head -n 12 || true)
if [[ -n "$trace" ]]; then
	echo "The first calls, as the tracer shows them (events/winiommu beside events/iommu):"
	sed -E 's/^ +//; s/^/  /' <<<"$trace"
	echo
fi
echo "Checks, as 'make check' counts them (KTAP): $n_ok passed, $n_fail failed, $n_skip not available yet"
echo "Also loaded: samples/extmod, a module built on its own against winiommu's"
echo "Module.symvers: $ext_ok of $ext_all checks passed"
echo "Unloading winiommu_edu: rmmod rc=${unload:-?}"
if ((n_fail > 0 || n_ok == 0 || ext_ok != ext_all)) || [[ "${unload:-1}" != 0 ]]; then
	rc=1
fi
echo
if ((rc == 0)); then
	echo "demo: PASS - the ported driver's DMA checks passed and the guest shut down cleanly"
else
	echo "demo: FAILED $(head -n 2 "$dst/why" 2>/dev/null | tr '\n' ' ')"
fi
echo "(full guest console: $con)"
exit "$rc"
