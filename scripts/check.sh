#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check: the project's test command.
#
#   1. setup     install packages, fetch the Debian kernels, build the KUnit
#                kernels (all cached; a warm cache makes these no-ops)
#   2. build     winiommu with W=1 -Werror against every kernel, plus the
#                external module linked against Module.symvers; the
#                in-tree build (drivers/iommu/winiommu of the x86_64 KUnit
#                kernel); the style gates (checkpatch --strict, sparse,
#                kernel-doc) and DKMS against Debian's 6.12 headers
#   3. kunit     the KUnit suites in the KUnit kernels, one guest per IOMMU
#   4. guests    winiommu and its users loaded in stock Debian guests
#
# In every guest with an IOMMU the edu sample (samples/edu) runs its DMA
# self-check once per scenario it is given (insmod, rmmod, insmod...),
# before the KUnit modules take the edu devices.
#
# Every check is one row of build/check/results.tsv (target, check,
# PASS|FAIL|SKIP, detail); the last line printed is "N passed, N failed"
# (", N skipped" when any), and the exit status is 0 only with no failure.
#
# usage: check.sh [--quick]     --quick: the x86_64 KUnit kernel with
#                               virtio-iommu only (warm cache)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/results.sh"

quick=0
[[ "${1:-}" == --quick ]] && quick=1

OUT="$TOPDIR/build/check"
RES="$OUT/results.tsv"
rm -rf "$OUT"
mkdir -p "$OUT"
: >"$RES"
: >"$OUT/stages.tsv"


stage_t0=0 stage_name=
stage() {
	stage_end
	stage_name=$1 stage_t0=$(date +%s)
	log "== stage: $stage_name"
}
stage_end() {
	[[ -n "$stage_name" ]] || return 0
	printf '%s\t%s\n' "$stage_name" "$(since "$stage_t0")" >>"$OUT/stages.tsv"
	log "== stage $stage_name: $(since "$stage_t0") s"
	stage_name=
}

# ---- 1. setup ---------------------------------------------------------------
t_all=$(date +%s)
stage setup
if [[ $(id -u) -eq 0 ]]; then
	"$TOPDIR/scripts/install-deps.sh"
else
	"$TOPDIR/scripts/install-deps.sh" || die "packages missing; run 'make check' as root once"
fi
if ((quick)); then
	kernels=(kunit-x86_64)
else
	"$TOPDIR/scripts/fetch-kernels.sh"
	kernels=(6.1 6.12 7.2 arm64-6.12 kunit-x86_64 kunit-arm64 kunit-arm64-6.1)
fi

# The KUnit kernels get env files like the stock ones: kunit-ARCH for
# 6.12, kunit-ARCH-SERIES for another series.  The x86_64 one carries
# winiommu in its tree too (drivers/iommu/winiommu, built in stage 2).
kunit_env() {
	local arch=$1 series=${2:-6.12} name="kunit-$1" dir busybox intree=()
	[[ $series == 6.12 ]] || name+="-$series"
	[[ $arch == x86_64 && $series == 6.12 ]] && intree=(--in-tree)
	dir=$(WINIOMMU_NO_REBUILD=1 "$TOPDIR/scripts/build-kunit-kernel.sh" "${intree[@]}" "$arch" kunit "$series")
	busybox=/bin/busybox
	[[ $arch == arm64 ]] && busybox=$(sed -n 's/^BUSYBOX=//p' "$(kernel_env arm64-6.12)")
	mkdir -p "$CACHE/kernels/$name"
	printf '%s\n' "KVER=$(cat "$dir/include/config/kernel.release")" "ARCH=$arch" \
		"KDIR=$dir" "KIMAGE=$dir/kernel-image" "MODDIR=" "CHROOT=" "BUSYBOX=$busybox" \
		"KUNITPY=$dir/source/tools/testing/kunit/kunit.py" >"$CACHE/kernels/$name/env"
}
kunit_env x86_64
if ((!quick)); then
	kunit_env arm64
	# 6.1 on SMMUv3: the one target whose IOMMU driver reports a device's
	# translation faults (iommu_register_device_fault_handler, 6.1 - 6.8)
	kunit_env arm64 6.1
fi
KUNITPY=$(sed -n 's/^KUNITPY=//p' "$(kernel_env kunit-x86_64)")

# ---- 2. build ---------------------------------------------------------------
stage build

# build_target NAME: copy the tree to build/NAME and build it there.
build_target() {
	local name=$1 envf dst log
	envf=$(kernel_env "$name")
	local KDIR ARCH CHROOT
	KDIR=$(sed -n 's/^KDIR=//p' "$envf")
	ARCH=$(sed -n 's/^ARCH=//p' "$envf")
	CHROOT=$(sed -n 's/^CHROOT=//p' "$envf")
	dst="$TOPDIR/build/$name"
	log="$OUT/build-$name.log"
	rm -rf "$dst"
	copy_sources "$dst" "${WINIOMMU_SOURCES[@]}"
	local margs=(KDIR="$KDIR" W=1 WERROR=1)
	[[ $ARCH == arm64 ]] && margs+=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	local rc=0
	if [[ -n "$CHROOT" ]]; then
		mkdir -p "$CHROOT/src"
		unshare -m bash -c "mount --bind '$dst' '$CHROOT/src' && mount -t proc proc '$CHROOT/proc' &&
			chroot '$CHROOT' make -C /src ${margs[*]} extmod" >"$log" 2>&1 || rc=$?
	else
		make -C "$dst" "${margs[@]}" extmod >"$log" 2>&1 || rc=$?
	fi
	if ((rc == 0)) && grep -qE 'warning:|WARNING:' "$log"; then
		rc=1
	fi
	if ((rc == 0)); then
		record "$name" "build (W=1 -Werror)" PASS
	else
		record "$name" "build (W=1 -Werror)" FAIL "see $log"
		grep -E 'error|warning|WARNING' "$log" | head -n 5 >&2 || true
	fi
	return 0
}

for k in "${kernels[@]}"; do
	build_target "$k"
done

# build_in_tree: winiommu as part of the x86_64 KUnit kernel's tree
# (drivers/iommu/winiommu, its Kconfig and Kbuild), rebuilt with the
# kernel's own make; the modules land in build/kunit-x86_64-in-tree/ for
# a guest, with the external user built against the kernel's own
# Module.symvers, where winiommu's exports now are.
build_in_tree() {
	local name=kunit-x86_64-in-tree log="$OUT/build-kunit-x86_64-in-tree.log" dir rc=0 f
	local dst="$TOPDIR/build/$name"
	rm -rf "$dst" && mkdir -p "$dst/module" "$dst/kunit" "$dst/samples/edu" "$CACHE/kernels/$name"
	cp "$(kernel_env kunit-x86_64)" "$CACHE/kernels/$name/env"
	dir=$("$TOPDIR/scripts/build-kunit-kernel.sh" --in-tree x86_64 2>"$log") || rc=$?
	if ((rc == 0)); then
		local w="$dir/drivers/iommu/winiommu"
		for f in module/winiommu.ko kunit/winiommu_test.ko kunit/winiommu_test_edu.ko \
			 samples/edu/winiommu_edu.ko; do
			cp "$w/$f" "$dst/$f" 2>>"$log" || rc=1
		done
		grep -q '^CONFIG_WINIOMMU=m' "$dir/.config" || { echo "CONFIG_WINIOMMU is not m" >>"$log"; rc=1; }
		grep -q 'winiommu_inject_fault' "$dir/Module.symvers" ||
			{ echo "winiommu's exports are not in the kernel's Module.symvers" >>"$log"; rc=1; }
	fi
	if ((rc == 0)); then
		copy_sources "$dst" include samples/extmod
		make -C "$dir" M="$dst/samples/extmod" KCFLAGS=-Werror modules >>"$log" 2>&1 || rc=$?
	fi
	if ((rc == 0)) && grep -qE 'warning:|WARNING:' "$log"; then
		rc=1
	fi
	if ((rc == 0)); then
		record "$name" "in-tree build (drivers/iommu/winiommu, Kconfig)" PASS
	else
		record "$name" "in-tree build (drivers/iommu/winiommu, Kconfig)" FAIL "see $log"
		rm -f "$dst/module/winiommu.ko"
	fi
}
((quick)) || build_in_tree

# gate TARGET SCRIPT: a script printing "CHECK<TAB>PASS|FAIL<TAB>DETAIL"
# lines, each recorded as a row of TARGET; a script that dies records FAIL.
gate() {
	local target=$1 script=$2 log="$OUT/$1.log" c s d n=0
	while IFS=$'\t' read -r c s d; do
		[[ $s == PASS || $s == FAIL || $s == SKIP ]] || continue
		record "$target" "$c" "$s" "$d"
		n=$((n + 1))
	done < <("$TOPDIR/scripts/$script" 2>"$log" || true)
	((n)) || record "$target" "$script" FAIL "printed no result (see $log)"
}
if ((!quick)); then
	# checkpatch --strict, sparse and kernel-doc; DKMS against Debian's 6.12 headers
	gate style style.sh
	gate dkms dkms-check.sh
fi

# ---- 3 and 4: guests --------------------------------------------------------

# guest_env ENVFILE: ARCH, KIMAGE, MODDIR and BUSYBOX of a fetched kernel,
# into the caller's locals of those names.
guest_env() {
	ARCH=$(sed -n 's/^ARCH=//p' "$1")
	KIMAGE=$(sed -n 's/^KIMAGE=//p' "$1")
	MODDIR=$(sed -n 's/^MODDIR=//p' "$1")
	BUSYBOX=$(sed -n 's/^BUSYBOX=//p' "$1")
	[[ -n "$BUSYBOX" ]] || BUSYBOX=/bin/busybox
}

# iommu_load IOMMU: the IOMMU driver's module first, where the kernel has
# it as one (Debian's virtio-iommu), onto the caller's mods array.
iommu_load() {
	local vi
	if [[ $1 == virtio && -n "$MODDIR" ]]; then
		vi=$(find "$MODDIR" -name 'virtio-iommu.ko*' | head -n 1)
		[[ -z "$vi" ]] || mods+=(--load "$vi" '')
	fi
	return 0
}

# real_faults NAME IOMMU: 1 where the IOMMU driver reports an edu DMA
# fault to winiommu (SMMUv3 before 6.9), 0 where it only logs or QEMU
# raises none (virtio-iommu, VT-d, SMMUv3 from 6.9, QEMU 7.2's AMD-Vi).
real_faults() {
	[[ $1 == kunit-arm64-6.1 && $2 == smmuv3 ]] && echo 1 || echo 0
}

# guest NAME IOMMU [APPEND [SCENARIOS]]: boot NAME's kernel with IOMMU (or
# none) and every module we have; the suites are told whether an IOMMU is
# there; the edu sample runs each of SCENARIOS (default: translate) where
# there is one.
guest() {
	local name=$1 iommu=$2 append=${3:-} envf target="$1/$2" dir="$OUT/$1-$2"
	local scenarios=(${4:-translate})
	local variant=${5:-} edu_params='' mask=
	local expect=1
	[[ $iommu == none ]] && expect=0 scenarios=()
	if [[ $variant == edu28 ]]; then
		# QEMU's edu with its default 28-bit DMA mask, the driver told so
		target+="-edu28" dir+="-edu28" mask=0xfffffff edu_params="dma_bits=28" scenarios=()
	fi
	envf=$(kernel_env "$name")
	local ARCH KIMAGE MODDIR BUSYBOX
	guest_env "$envf"
	local b="$TOPDIR/build/$name"
	mkdir -p "$dir"
	if [[ ! -f "$b/module/winiommu.ko" ]]; then
		record "$target" boot FAIL "winiommu.ko was not built"
		return 0
	fi
	local mods=()
	iommu_load "$iommu"
	mods+=(--load "$b/module/winiommu.ko" '')
	local edu_ko="$b/samples/edu/winiommu_edu.ko" sc
	if ((${#scenarios[@]})) && [[ ! -f "$edu_ko" ]]; then
		record "$target" "winiommu_edu" FAIL "winiommu_edu.ko was not built"
		scenarios=()
	fi
	for sc in "${scenarios[@]}"; do
		mods+=(--cycle "$edu_ko" "scenario=$sc")
	done
	local tests=()
	[[ -f "$b/kunit/winiommu_test.ko" ]] && tests+=(winiommu_test_edu winiommu_test)
	((expect)) && tests+=(winiommu_extmod)	# it creates a domain
	local t
	for t in "${tests[@]}"; do
		local params=
		# the suites' expectations are winiommu_test_edu's parameters
		[[ $t == winiommu_test_edu ]] &&
			params="$edu_params iommu_expected=$expect real_faults=$(real_faults "$name" "$iommu")"
		mods+=(--test "$(find "$b" -name "$t.ko" | head -n 1)" "$params")
	done
	"$TOPDIR/scripts/mkinitramfs.sh" "$dir/initrd.gz" "$BUSYBOX" "${mods[@]}"
	local why=
	if ! WINIOMMU_EDU_MASK=${mask:-${WINIOMMU_EDU_MASK:-}} "$TOPDIR/scripts/run-guest.sh" \
		"$ARCH" "$iommu" "$KIMAGE" "$dir/initrd.gz" "$dir/console.log" "$append" 2>"$dir/why"; then
		why=$(head -n 3 "$dir/why" | tr '\n' ' ')
	fi
	local bad
	bad=$(grep -E '^=== (insmod|rmmod) .* rc=[1-9]' "$dir/console.log" | head -n 3 | tr '\n' ' ' || true)
	[[ -n "$bad" ]] && why+=" $bad"
	if [[ -z "$why" ]]; then
		record "$target" boot PASS
	else
		record "$target" boot FAIL "$why($dir/console.log)"
	fi
	# KUnit suites: their debugfs results; other modules: the KTAP they print.
	record_kunit "$target" "$dir" "$dir/console.log"
	((expect)) || return 0
	record_modules "$target" "$dir" "$dir/console.log" "${scenarios[@]}"
	return 0
}

# sweep_guest NAME IOMMU: a driver unloads leaving a domain with a mapping,
# a token with a mapped segment and an Unmanaged domain behind; unloading
# winiommu must release them, say so, and leave no splat.
sweep_guest() {
	local name=$1 iommu=$2 target="$1/$2-unload" dir="$OUT/$1-$2-unload" envf
	envf=$(kernel_env "$name")
	local ARCH KIMAGE MODDIR BUSYBOX mods=()
	guest_env "$envf"
	mkdir -p "$dir"
	iommu_load "$iommu"
	mods+=(--test "$TOPDIR/build/$name/module/winiommu.ko" '')
	mods+=(--test "$TOPDIR/build/$name/samples/extmod/winiommu_extmod.ko" 'leave=1')
	"$TOPDIR/scripts/mkinitramfs.sh" "$dir/initrd.gz" "$BUSYBOX" "${mods[@]}"
	if "$TOPDIR/scripts/run-guest.sh" "$ARCH" "$iommu" "$KIMAGE" "$dir/initrd.gz" \
		"$dir/console.log" 2>"$dir/why" &&
	   grep -q '^=== rmmod winiommu rc=0' "$dir/console.log" &&
	   grep -q 'unload: 1 logical address token(s) left behind' "$dir/console.log" &&
	   grep -q 'unload: 2 domain(s) left behind' "$dir/console.log"; then
		record "$target" "unload releases what a driver left behind" PASS
	else
		record "$target" "unload releases what a driver left behind" FAIL "$dir/console.log"
	fi
}

# inspect_guest NAME IOMMU: the edu sample stays loaded with its domain,
# mappings and token while debugfs is printed, with the winiommu and
# iommu trace events on; what a developer sees with cat and the tracer
# must be there.  The dump is kept as inspect.txt.
inspect_guest() {
	local name=$1 iommu=$2 target="$1/$2-inspect" dir="$OUT/$1-$2-inspect" envf
	envf=$(kernel_env "$name")
	local ARCH KIMAGE MODDIR BUSYBOX mods=(--trace) log
	guest_env "$envf"
	mkdir -p "$dir"
	iommu_load "$iommu"
	mods+=(--load "$TOPDIR/build/$name/module/winiommu.ko" '')
	mods+=(--test "$TOPDIR/build/$name/samples/edu/winiommu_edu.ko" 'scenario=translate')
	"$TOPDIR/scripts/mkinitramfs.sh" "$dir/initrd.gz" "$BUSYBOX" "${mods[@]}"
	log="$dir/console.log"
	if ! "$TOPDIR/scripts/run-guest.sh" "$ARCH" "$iommu" "$KIMAGE" "$dir/initrd.gz" "$log" 2>"$dir/why"; then
		record "$target" boot FAIL "$(head -n 2 "$dir/why" | tr '\n' ' ')($log)"
		return 0
	fi
	record "$target" boot PASS
	sed -n '/^=== debugfs-begin$/,/^=== debugfs-end$/p' "$log" >"$dir/debugfs.txt"
	sed -n '/^=== trace-begin$/,/^=== trace-end$/p' "$log" >"$dir/trace.txt"
	cat "$dir/debugfs.txt" "$dir/trace.txt" >"$dir/inspect.txt"
	# check NAME FILE ERE...: every pattern matches a line of FILE
	check() {
		local what=$1 file=$2 p miss=
		shift 2
		for p in "$@"; do
			grep -qE -- "$p" "$file" || miss+=" '$p'"
		done
		if [[ -z "$miss" ]]; then
			record "$target" "$what" PASS
		else
			record "$target" "$what" FAIL "missing$miss ($file)"
		fi
	}
	check "debugfs: the sample's domain" "$dir/debugfs.txt" '^--- domains/[0-9]+/info$' \
		'^type: Translate$' '^created_by: CreateDomainEx$' '^allocator: buddy width 48 ' \
		'^devices: 1$' '^  backend linux backing paging users 1 '
	check "debugfs: its mappings, token and reserved hole" "$dir/debugfs.txt" \
		' logical access r[w-] pages [0-9]+ from allocator runs [0-9]+ phys 0x[0-9a-f]+\+[0-9]+.* made_by MapLogicalRange\(Ex\)$' \
		' token pages [0-9]+ from allocator made_by ReserveLogicalAddressRange' \
		'^    segment offset 0x[0-9a-f]+ pages [0-9]+ access rw phys 0x[0-9a-f]+ made_by MapReservedLogicalRange$' \
		' reserved origin windows made_by CreateDomainEx$'
	check "debugfs: the device" "$dir/debugfs.txt" '^--- devices/[^/]+/info$' '^domain: [0-9]+$' \
		'^dma_owner: winiommu$' '^fault_reporting: off$'
	check "debugfs: counters" "$dir/debugfs.txt" '^maps: [1-9][0-9]*$' '^bytes_mapped: [1-9][0-9]*$' \
		'^  MapLogicalRangeEx [1-9][0-9]* failed [0-9]+$' '^  CreateDomainEx [1-9][0-9]* failed 0$'
	check "trace: winiommu events" "$dir/trace.txt" \
		'create_domain_ex: CreateDomainEx\(DomainType=Translate AddressWidth=48\) -> [0-9a-fx]+ = STATUS_SUCCESS [0-9]+ns' \
		'map_logical_range_ex: MapLogicalRangeEx\(Domain=[0-9a-fx]+ Permissions=0x[0-9a-f]+\) -> 0x[0-9a-f]+ = STATUS_SUCCESS' \
		'attach_device_ex: AttachDeviceEx\(' 'map_reserved_logical_range: MapReservedLogicalRange\('
	check "trace: the kernel's iommu events beside them" "$dir/trace.txt" ' map: IOMMU: iova=' \
		' attach_device_to_domain: IOMMU: device='
	if grep -q 'teardown: clean' "$log" && grep -q '^=== rmmod winiommu_edu rc=0$' "$log"; then
		record "$target" "teardown after inspection" PASS
	else
		record "$target" "teardown after inspection" FAIL "$log"
	fi
}

stage kunit
guest kunit-x86_64 virtio
if ((!quick)); then
	# the same suites, built from the kernel's tree
	guest kunit-x86_64-in-tree virtio
	guest kunit-x86_64 intel
	guest kunit-x86_64 amd
	# no IOMMU at all: the domain suite checks STATUS_NOT_SUPPORTED
	guest kunit-x86_64 none 'kunit.filter_glob=winiommu_domain.*'
	# a 28-bit edu: the allocator must stay within the device's reach
	guest kunit-x86_64 intel 'kunit.filter_glob=winiommu_[mt]*' '' edu28
	guest kunit-arm64 smmuv3
	guest kunit-arm64 virtio
	guest kunit-arm64-6.1 smmuv3

	# stock kernels: the edu sample in all three scenarios
	stage guests
	all_scenarios="translate passthrough unmanaged"
	guest 6.12 virtio '' "$all_scenarios"
	guest 6.1 intel '' "$all_scenarios"
	guest 6.12 amd '' "$all_scenarios"
	guest 6.12 intel '' "$all_scenarios"
	guest 7.2 virtio '' "$all_scenarios"
	guest arm64-6.12 smmuv3 '' "$all_scenarios"
	sweep_guest 6.12 virtio
	sweep_guest arm64-6.12 smmuv3
	inspect_guest 6.12 virtio

	# the debug KUnit kernel (KASAN, kmemleak, lockdep, fail-nth): its
	# guests run when the kernel is cached (make check-debug builds it),
	# else one SKIP row says so
	stage debug
	"$TOPDIR/scripts/check-debug.sh" --cached-only >"$OUT/check-debug.txt" \
		2>"$OUT/check-debug.log" || true
	grep -P '^[^\t]+\t[^\t]+\t(PASS|FAIL|SKIP)\t' "$OUT/check-debug.txt" >>"$RES" ||
		record kunit-x86_64-debug check-debug.sh FAIL "printed no result (see $OUT/check-debug.log)"
fi
stage_end

# ---- summary ----------------------------------------------------------------
python3 - "$RES" "$OUT/stages.tsv" "$(since "$t_all")" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
per = collections.OrderedDict()
for t, c, s, d in rows:
    per.setdefault(t, collections.Counter())[s] += 1
print()
print(f"{'target':<22} {'pass':>5} {'fail':>5} {'skip':>5}")
for t, c in per.items():
    print(f"{t:<22} {c['PASS']:>5} {c['FAIL']:>5} {c['SKIP']:>5}")
fails = [r for r in rows if r[2] == "FAIL"]
skips = [r for r in rows if r[2] == "SKIP"]
if fails:
    print("\nfailed:")
    for t, c, s, d in fails:
        print(f"  {t}: {c} {d}")
if skips:
    print("\nskipped:")
    for t, c, s, d in skips:
        print(f"  {t}: {c}: {d}")
print("\nstage seconds: " + ", ".join(f"{a}={b}" for a, b in (l.split() for l in open(sys.argv[2]))) + f", total={sys.argv[3]}")
n = collections.Counter(r[2] for r in rows)
line = f"{n['PASS']} passed, {n['FAIL']} failed"
if n["SKIP"]:
    line += f", {n['SKIP']} skipped"
print(line)
sys.exit(1 if n["FAIL"] else 0)
PY
