#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# make check-debug: winiommu under the kernel's own checkers.  The debug
# KUnit kernel (kconfig/x86_64-debug.config: the KUnit fragment plus KASAN,
# kmemleak, lockdep, might-sleep checks and fault injection) is built and
# cached like the KUnit kernels; winiommu, its suites and samples are built
# against it and loaded in one guest per IOMMU (virtio-iommu, Intel VT-d):
# the edu sample in its three scenarios, every KUnit suite (the fail-nth
# sweep runs for real here), the external module, then everything is
# unloaded, winiommu last, and kmemleak scans.
#
# A guest fails on any KASAN, kmemleak, lockdep or might-sleep report, on
# any splat run-guest.sh finds, and when a checker is not active (KASAN not
# initialised, kmemleak off, lockdep switched off by an earlier report).
#
# Prints one row per check on stdout, "TARGET<TAB>CHECK<TAB>PASS|FAIL|SKIP<TAB>
# DETAIL" (the rows of check.sh's results.tsv, also kept in
# build/check-debug/results.tsv), then "N passed, N failed[, N skipped]";
# progress goes to stderr.  Exits 0 only with no failure.
#
# usage: check-debug.sh [--cached-only] [IOMMU...]
#   --cached-only  do not build the debug kernel: when it is not cached,
#                  print one SKIP row saying so and exit 0 (for make check)
#   IOMMU          the guests to boot (default: virtio intel); each has two
#                  vCPUs, and winiommu_stress runs 30 s in it
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/results.sh"

cached_only=0
if [[ "${1:-}" == --cached-only ]]; then
	cached_only=1
	shift
fi
iommus=("$@")
((${#iommus[@]})) || iommus=(virtio intel)

NAME=kunit-x86_64-debug
OUT="$TOPDIR/build/check-debug"
RES="$OUT/results.tsv"
mkdir -p "$OUT"
: >"$RES"

RECORD_TEE=1	# rows go to stdout too: check-debug is also run on its own

summary() {
	local p f s line
	p=$(awk -F'\t' '$3 == "PASS"' "$RES" | wc -l)
	f=$(awk -F'\t' '$3 == "FAIL"' "$RES" | wc -l)
	s=$(awk -F'\t' '$3 == "SKIP"' "$RES" | wc -l)
	line="$p passed, $f failed"
	((s)) && line+=", $s skipped"
	echo "$line"
	((f == 0))
}

# ---- the debug kernel -------------------------------------------------------

# Where build-kunit-kernel.sh keeps it: the same name it computes (the
# fragment's hash and the source version).
debug_kernel_dir() {
	local frag="$TOPDIR/kconfig/x86_64-debug.config" srcver hash
	srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null) || return 1
	hash=$( (cat "$frag"; echo "$srcver") | sha256sum | cut -c1-12)
	echo "$CACHE/kunit/x86_64-debug-$hash"
}

kdir=$(debug_kernel_dir || true)
if ((cached_only)) && [[ -z "$kdir" || ! -f "$kdir/.winiommu-done" ]]; then
	record "$NAME" "debug kernel (KASAN, kmemleak, lockdep, fail-nth)" SKIP \
		"not cached: 'make check-debug' builds it once (5 minutes cold on 2 cores)"
	summary
	exit 0
fi
log "check-debug: the debug kernel"
t0=$(date +%s)
if ! kdir=$("$TOPDIR/scripts/build-kunit-kernel.sh" x86_64 debug 2>"$OUT/kernel.log"); then
	record "$NAME" "debug kernel build" FAIL "see $OUT/kernel.log"
	summary || exit 1
fi
log "check-debug: kernel ready in $(since "$t0") s ($kdir)"
KUNITPY="$kdir/source/tools/testing/kunit/kunit.py"

# ---- build --------------------------------------------------------------------

dst="$TOPDIR/build/$NAME"
blog="$OUT/build.log"
rm -rf "$dst"
copy_sources "$dst" "${WINIOMMU_SOURCES[@]}"
rc=0
make -C "$dst" KDIR="$kdir" W=1 WERROR=1 extmod >"$blog" 2>&1 || rc=$?
if ((rc == 0)) && grep -qE 'warning:|WARNING:' "$blog"; then
	rc=1
fi
if ((rc == 0)); then
	record "$NAME" "build (W=1 -Werror)" PASS
else
	record "$NAME" "build (W=1 -Werror)" FAIL "see $blog"
	summary || exit 1
fi

# ---- guests -------------------------------------------------------------------

# Before anything is loaded: let failslab and fail_page_alloc fail every
# allocation the fail-nth sweep points at (by default they ignore sleeping
# and order-0 allocations), quietly (no stack dump per injected failure);
# never inside iova_domain_init_rcaches(), whose failure path crashes
# Linux 6.12 (free_iova_rcaches() hands a NULL magazine to
# kmem_cache_free()); then forget what kmemleak suspects of the boot, so
# that the scan after the unload reports only what the modules left.
PRE='F=/sys/kernel/debug
set -- $(awk '"'"'$3 == "iova_domain_init_rcaches" { s = $1; next } s { print s, $1; exit }'"'"' /proc/kallsyms)
for a in failslab fail_page_alloc; do
	[ -d $F/$a ] || continue
	echo N >$F/$a/ignore-gfp-wait
	echo 0 >$F/$a/verbose
	if [ $# = 2 ] && [ -f $F/$a/reject-start ]; then
		echo 0x$1 >$F/$a/reject-start
		echo 0x$2 >$F/$a/reject-end
	fi
done
[ -f $F/fail_page_alloc/min-order ] && echo 0 >$F/fail_page_alloc/min-order
if [ -f $F/kmemleak ]; then
	echo scan >$F/kmemleak
	echo clear >$F/kmemleak
fi'
# After the last rmmod: scan (objects younger than 5 s are never reported),
# print what kmemleak found and whether lockdep is still on.
POST='F=/sys/kernel/debug
sleep 6
echo "=== kmemleak-begin"
if [ -f $F/kmemleak ]; then
	echo scan >$F/kmemleak
	sleep 1
	echo scan >$F/kmemleak
	cat $F/kmemleak
else
	echo "kmemleak: not available"
fi
echo "=== kmemleak-end"
echo "=== lockdep $(grep -s debug_locks: /proc/lockdep_stats | tr -d " ")"'

# check_clean TARGET LOG WHAT ERE: a PASS row when no line of LOG matches
# ERE, else a FAIL row with the first matches.
check_clean() {
	local target=$1 logf=$2 what=$3 ere=$4 hits
	hits=$(grep -nE -- "$ere" "$logf" | head -n 3 | tr '\n' ' ' || true)
	if [[ -z "$hits" ]]; then
		record "$target" "$what" PASS
	else
		record "$target" "$what" FAIL "$hits($logf)"
	fi
}

# check_present TARGET LOG WHAT ERE: a PASS row when a line of LOG matches.
check_present() {
	local target=$1 logf=$2 what=$3 ere=$4
	if grep -qE -- "$ere" "$logf"; then
		record "$target" "$what" PASS
	else
		record "$target" "$what" FAIL "no line matches '$ere' ($logf)"
	fi
}

scenarios=(translate passthrough unmanaged)

guest() {
	local iommu=$1 target="$NAME/$1" dir="$OUT/$1" sc mods=() why= t
	mkdir -p "$dir"
	mods+=(--pre "$PRE" --post "$POST")
	# a --test module: unloaded at the end, after the suites (reverse order)
	mods+=(--test "$dst/module/winiommu.ko" '')
	for sc in "${scenarios[@]}"; do
		mods+=(--cycle "$dst/samples/edu/winiommu_edu.ko" "scenario=$sc")
	done
	mods+=(--test "$dst/kunit/winiommu_test_edu.ko" "iommu_expected=1 real_faults=0 stress_seconds=30")
	mods+=(--test "$dst/kunit/winiommu_test.ko" '')
	mods+=(--test "$dst/samples/extmod/winiommu_extmod.ko" '')
	"$TOPDIR/scripts/mkinitramfs.sh" "$dir/initrd.gz" /bin/busybox "${mods[@]}"
	log "check-debug: guest $iommu"
	t=$(date +%s)
	if ! WINIOMMU_GUEST_SMP=2 WINIOMMU_GUEST_TIMEOUT=${WINIOMMU_GUEST_TIMEOUT:-2400} \
		"$TOPDIR/scripts/run-guest.sh" \
		x86_64 "$iommu" "$kdir/kernel-image" "$dir/initrd.gz" "$dir/console.log" 2>"$dir/why"; then
		why=$(head -n 3 "$dir/why" | tr '\n' ' ')
	fi
	log "check-debug: guest $iommu done in $(since "$t") s"
	local logf="$dir/console.log" bad
	bad=$(grep -E '^=== (insmod|rmmod) .* rc=[1-9]' "$logf" | head -n 3 | tr '\n' ' ' || true)
	[[ -n "$bad" ]] && why+=" $bad"
	if [[ -z "$why" ]]; then
		record "$target" boot PASS "$(since "$t") s"
	else
		record "$target" boot FAIL "$why($logf)"
	fi

	# the checkers were on
	check_present "$target" "$logf" "KASAN active" 'KernelAddressSanitizer initialized'
	check_present "$target" "$logf" "kmemleak active" '^=== kmemleak-begin'
	check_clean "$target" "$logf" "kmemleak stayed on" \
		'kmemleak: not available|kmemleak: .*(disabled|Cannot allocate)'
	check_present "$target" "$logf" "lockdep still on at the end" '^=== lockdep debug_locks:1$'
	check_present "$target" "$logf" "preemptible SMP kernel" 'Linux version .* SMP PREEMPT'
	check_present "$target" "$logf" "two vCPUs online" 'Brought up [0-9]+ nodes?, 2 CPUs'
	# what each checker reports (run-guest.sh's splat grep misses the
	# kmemleak report itself and lockdep's INFO lines)
	check_clean "$target" "$logf" "no KASAN report" 'BUG: KASAN|KASAN: |kasan: .*bad'
	check_clean "$target" "$logf" "no lockdep report" \
		'possible (circular|recursive) locking|inconsistent lock state|lock inversion|suspicious RCU usage|INFO: trying to register non-static key|DEBUG_LOCKS_WARN_ON|lockdep is turned off|BUG: (MAX_LOCK|held lock freed|bad unlock)'
	check_clean "$target" "$logf" "no might-sleep report" \
		'sleeping function called from invalid context|scheduling while atomic|do not call blocking ops'
	sed -n '/^=== kmemleak-begin$/,/^=== kmemleak-end$/p' "$logf" >"$dir/kmemleak.txt"
	check_clean "$target" "$dir/kmemleak.txt" "kmemleak: nothing leaked after the unload" \
		'unreferenced object'
	check_clean "$target" "$logf" "kmemleak: no suspect reported" 'kmemleak: [0-9]+ new suspected'
	check_clean "$target" "$logf" "no other splat" \
		'BUG:|WARNING:|Oops|Call Trace|kernel BUG at|Kernel panic|UBSAN:|FAULT_INJECTION: forcing'
	if grep -q '^=== rmmod winiommu rc=0$' "$logf" &&
	   ! grep -q 'left behind' "$logf"; then
		record "$target" "winiommu unloads with nothing left behind" PASS
	else
		record "$target" "winiommu unloads with nothing left behind" FAIL \
			"$(grep -E 'left behind|rmmod winiommu ' "$logf" | head -n 2 | tr '\n' ' ')($logf)"
	fi

	# the suites, the external module, the edu sample
	record_kunit "$target" "$dir" "$logf"
	grep -q '^=== kunit-results winiommu_failnth$' "$logf" ||
		record "$target" "winiommu_failnth" FAIL "the fail-nth suite did not run ($logf)"
	record_modules "$target" "$dir" "$logf" "${scenarios[@]}"
	# what the fail-nth sweep and the stress run counted, for the record
	grep -oE '(fail-nth|stress): .*|[0-9]+ bad handles .*' "$logf" | awk '!seen[$0]++' |
		sed "s|^|  $iommu: |" >&2 || true
}

# sweep IOMMU: a driver (winiommu_test_edu leave=1) leaves a device with a
# state-change callback, a Translate domain with a mapping and a token
# segment, and an Unmanaged domain shadowing its own tables behind, frees
# its memory and unloads; unloading winiommu must release every object,
# say so, and leave kmemleak, KASAN and lockdep quiet.
sweep() {
	local iommu=$1 target="$NAME/$1-unload" dir="$OUT/$1-unload" t why= mods=()
	mkdir -p "$dir"
	mods+=(--pre "$PRE" --post "$POST")
	mods+=(--test "$dst/module/winiommu.ko" '')
	mods+=(--test "$dst/kunit/winiommu_test_edu.ko" 'leave=1')
	"$TOPDIR/scripts/mkinitramfs.sh" "$dir/initrd.gz" /bin/busybox "${mods[@]}"
	log "check-debug: unload sweep $iommu"
	t=$(date +%s)
	if ! WINIOMMU_GUEST_SMP=2 WINIOMMU_GUEST_TIMEOUT=${WINIOMMU_GUEST_TIMEOUT:-2400} \
		"$TOPDIR/scripts/run-guest.sh" \
		x86_64 "$iommu" "$kdir/kernel-image" "$dir/initrd.gz" "$dir/console.log" 2>"$dir/why"; then
		why=$(head -n 3 "$dir/why" | tr '\n' ' ')
	fi
	local logf="$dir/console.log" p miss=
	if [[ -z "$why" ]]; then
		record "$target" boot PASS "$(since "$t") s"
	else
		record "$target" boot FAIL "$why($logf)"
	fi
	check_present "$target" "$logf" "the driver left its objects behind" \
		'left behind for winiommu.s unload sweep: a device'
	for p in 'unload: 1 DMA device\(s\) left behind' 'unload: 1 logical address token\(s\) left behind' \
		 'unload: 2 domain\(s\) left behind' '^=== rmmod winiommu rc=0$'; do
		grep -qE "$p" "$logf" || miss+=" '$p'"
	done
	if [[ -z "$miss" ]]; then
		record "$target" "unloading winiommu releases every object left behind" PASS
	else
		record "$target" "unloading winiommu releases every object left behind" FAIL \
			"missing$miss ($logf)"
	fi
	check_present "$target" "$logf" "kmemleak active" '^=== kmemleak-begin'
	sed -n '/^=== kmemleak-begin$/,/^=== kmemleak-end$/p' "$logf" >"$dir/kmemleak.txt"
	check_clean "$target" "$dir/kmemleak.txt" "kmemleak: nothing leaked after the sweep" \
		'unreferenced object'
	check_clean "$target" "$logf" "no KASAN, lockdep or other splat" \
		'BUG:|WARNING:|Oops|Call Trace|KASAN: |possible (circular|recursive) locking|inconsistent lock state|lockdep is turned off'
}

for iommu in "${iommus[@]}"; do
	guest "$iommu"
done
sweep virtio
summary
