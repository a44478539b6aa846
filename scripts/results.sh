#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The result rows of scripts/check.sh and scripts/check-debug.sh: one
# tab-separated "target  what  PASS|FAIL|SKIP  detail" line per result in
# $RES, echoed to stdout too when RECORD_TEE is set, and the readers of a
# guest's console log that turn its KUnit suites, the external module and
# the edu sample into rows.  Sourced after lib.sh, never run; the caller
# sets RES and KUNITPY.

# record TARGET WHAT RESULT [DETAIL]
record() {
	local row
	row=$(printf '%s\t%s\t%s\t%s' "$1" "$2" "$3" "${4:-}")
	printf '%s\n' "$row" >>"$RES"
	[[ -z "${RECORD_TEE:-}" ]] || printf '%s\n' "$row"
}

# parse_ktap TARGET FILE: one row per test case kunit.py finds in FILE.
parse_ktap() {
	local target=$1 file=$2 json="$2.json"
	python3 "$KUNITPY" parse --json="$json" "$file" >"$file.parsed" 2>&1 || true
	if [[ ! -s "$json" ]]; then
		record "$target" "ktap $(basename "$file")" FAIL "kunit.py parse failed"
		return
	fi
	python3 "$TOPDIR/scripts/ktap-rows.py" "$json" "$target" "$file" >"$file.rows"
	cat "$file.rows" >>"$RES"
	[[ -z "${RECORD_TEE:-}" ]] || cat "$file.rows"
}

# record_kunit TARGET DIR LOG: the KUnit suites' debugfs results that
# mkinitramfs.sh's init dumped into LOG (one KTAP file each in DIR).
record_kunit() {
	local target=$1 dir=$2 logf=$3 s
	for s in $(sed -n 's/^=== kunit-results //p' "$logf"); do
		sed -n "/^=== kunit-results $s\$/,/^=== kunit-end $s\$/p" "$logf" |
			sed '1d;$d' >"$dir/kunit-$s.ktap"
		parse_ktap "$target" "$dir/kunit-$s.ktap"
	done
}

# record_modules TARGET DIR LOG SCENARIO...: the KTAP the external module
# prints at insmod, and the edu sample's: its Nth load is the Nth
# SCENARIO, its KTAP ends at insmod, its teardown (remove) runs before
# rmmod and must report clean.
record_modules() {
	local target=$1 dir=$2 logf=$3 i=0 sc sec
	shift 3
	sed -n '/^=== insmod-begin winiommu_extmod$/,/^=== insmod winiommu_extmod rc=/p' \
		"$logf" >"$dir/extmod.ktap"
	if grep -q 'KTAP version' "$dir/extmod.ktap"; then
		parse_ktap "$target" "$dir/extmod.ktap"
	else
		record "$target" "winiommu_extmod" FAIL "no KTAP output"
	fi
	for sc in "$@"; do
		i=$((i + 1))
		sec="$dir/edu-$i-$sc"
		awk -v n="$i" '/^=== insmod-begin winiommu_edu$/ { c++ }
			c == n { print } c == n && /^=== rmmod winiommu_edu rc=/ { exit }' \
			"$logf" >"$sec.log"
		sed -n '1,/^=== insmod winiommu_edu rc=/p' "$sec.log" >"$sec.ktap"
		if grep -q 'KTAP version' "$sec.ktap"; then
			parse_ktap "$target" "$sec.ktap"
		else
			record "$target" "winiommu_edu.$sc" FAIL "no KTAP output ($sec.log)"
			continue
		fi
		if grep -q 'teardown: clean' "$sec.log" &&
		   grep -q '^=== rmmod winiommu_edu rc=0$' "$sec.log"; then
			record "$target" "winiommu_edu.$sc.teardown" PASS
		else
			record "$target" "winiommu_edu.$sc.teardown" FAIL \
				"$(grep -E 'teardown|rmmod' "$sec.log" | tail -n 2 | tr '\n' ' ')($sec.log)"
		fi
	done
}
