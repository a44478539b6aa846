#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build a busybox initramfs whose /init loads kernel modules in order, prints
# markers the check scripts parse, dumps KUnit results from debugfs, unloads
# the test modules in reverse order and powers off.
#
# usage: mkinitramfs.sh OUT.cpio.gz BUSYBOX [--trace] [--pre 'SH'] [--post 'SH'] \
#                       [--load MOD.ko[.xz] 'PARAMS']... \
#                       [--test MOD.ko[.xz] 'PARAMS' | --cycle MOD.ko[.xz] 'PARAMS']...
#   --trace  enable the winiommu and iommu trace events once the --load
#            modules are in, and print the trace buffer at the end
#   --pre    shell commands run once debugfs is mounted, before any module
#            is loaded (may be given more than once)
#   --post   shell commands run after the last rmmod, before the end marker
#            (e.g. a kmemleak scan once everything is unloaded)
#   --load   loaded and kept (IOMMU drivers, winiommu itself)
#   --test   loaded, then unloaded at the end (suites, samples)
#   --cycle  loaded, then unloaded at once, before the next module: the
#            same module may be cycled several times with other PARAMS
# --load modules come first; --test and --cycle keep their order.
# Before the --test modules are unloaded, every file under
# /sys/kernel/debug/winiommu is printed (objects the loaded modules hold
# are still there).
# Markers: "=== winiommu-init", "=== insmod NAME rc=N", "=== kunit-results SUITE",
#          "=== kunit-end SUITE", "=== debugfs-begin", "--- FILE", "=== debugfs-end",
#          "=== trace-begin", "=== trace-end", "=== rmmod NAME rc=N", "=== winiommu-done".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$1 busybox=$2
shift 2
[[ -x "$busybox" ]] || die "busybox $busybox is not executable"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,mnt,lib/winiommu}
cp "$busybox" "$work/bin/busybox"

loads=() steps=() tests=() trace=0 pre=() post=()
while (($#)); do
	if [[ $1 == --trace ]]; then
		trace=1
		shift
		continue
	fi
	if [[ $1 == --pre || $1 == --post ]]; then
		(($# >= 2)) || die "mkinitramfs: $1 needs shell commands"
		if [[ $1 == --pre ]]; then pre+=("$2"); else post+=("$2"); fi
		shift 2
		continue
	fi
	kind=$1 mod=$2 params=${3:-}
	shift 3 || die "mkinitramfs: $kind needs a module and a parameter string"
	name=$(basename "$mod"); name=${name%.xz}; name=${name%.ko}
	case "$mod" in
	*.xz) xz -dc "$mod" >"$work/lib/winiommu/$name.ko" ;;
	*)    cp "$mod" "$work/lib/winiommu/$name.ko" ;;
	esac
	case "$kind" in
	--load)  loads+=("$name|$params") ;;
	--test)  steps+=("test|$name|$params"); tests+=("$name|$params") ;;
	--cycle) steps+=("cycle|$name|$params") ;;
	*) die "mkinitramfs: unknown option $kind" ;;
	esac
done

{
	cat <<'HEAD'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
echo "=== winiommu-init $(uname -r) $(uname -m)"
ldmod() {
	echo "=== insmod-begin $1"
	insmod /lib/winiommu/$1.ko $2
	echo "=== insmod $1 rc=$?"
}
HEAD
	for e in "${pre[@]}"; do
		printf '%s\n' "$e"
	done
	for e in "${loads[@]}"; do
		printf 'ldmod %s %q\n' "${e%%|*}" "${e#*|}"
	done
	if ((trace)); then
		cat <<'TRACE'
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs tracefs $T 2>/dev/null
[ -d $T/events ] || T=/sys/kernel/debug/tracing
echo 4096 >$T/buffer_size_kb
for e in winiommu iommu; do
	[ -d $T/events/$e ] && echo 1 >$T/events/$e/enable
done
TRACE
	fi
	for e in "${steps[@]}"; do
		how=${e%%|*} e=${e#*|}
		printf 'ldmod %s %q\n' "${e%%|*}" "${e#*|}"
		if [[ $how == cycle ]]; then
			printf 'rmmod %s; echo "=== rmmod %s rc=$?"\n' "${e%%|*}" "${e%%|*}"
		fi
	done
	cat <<'MID'
if [ -d /sys/kernel/debug/kunit ]; then
	for d in /sys/kernel/debug/kunit/*/; do
		[ -f "$d/results" ] || continue
		s=$(basename "$d")
		echo "=== kunit-results $s"
		cat "$d/results"
		echo "=== kunit-end $s"
	done
fi
MID
	cat <<'DUMP'
if [ -d /sys/kernel/debug/winiommu ]; then
	echo "=== debugfs-begin"
	for f in $(find /sys/kernel/debug/winiommu -type f | sort); do
		[ -r "$f" ] || continue
		case "$f" in */inject_fault) continue ;; esac
		echo "--- ${f#/sys/kernel/debug/winiommu/}"
		cat "$f"
	done
	echo "=== debugfs-end"
fi
DUMP
	if ((trace)); then
		cat <<'TRACE'
echo 0 >$T/tracing_on
echo "=== trace-begin"
grep -v '^#' $T/trace
echo "=== trace-end"
TRACE
	fi
	for ((i = ${#tests[@]} - 1; i >= 0; i--)); do
		n=${tests[i]%%|*}
		printf 'rmmod %s; echo "=== rmmod %s rc=$?"\n' "$n" "$n"
	done
	for e in "${post[@]}"; do
		printf '%s\n' "$e"
	done
	cat <<'TAIL'
echo "=== winiommu-done"
poweroff -f
TAIL
} >"$work/init"
chmod +x "$work/init"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
