#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build a busybox initramfs whose /init loads kernel modules in order, prints
# markers the check scripts parse, dumps KUnit results from debugfs, unloads
# the test modules in reverse order and powers off.
#
# usage: mkinitramfs.sh OUT.cpio.gz BUSYBOX [--load MOD.ko[.xz] 'PARAMS']... \
#                       [--test MOD.ko[.xz] 'PARAMS' | --cycle MOD.ko[.xz] 'PARAMS']...
#   --load   loaded and kept (IOMMU drivers, winiommu itself)
#   --test   loaded, then unloaded at the end (suites, samples)
#   --cycle  loaded, then unloaded at once, before the next module: the
#            same module may be cycled several times with other PARAMS
# --load modules come first; --test and --cycle keep their order.
# Markers: "=== winiommu-init", "=== insmod NAME rc=N", "=== kunit-results SUITE",
#          "=== kunit-end SUITE", "=== rmmod NAME rc=N", "=== winiommu-done".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$1 busybox=$2
shift 2
[[ -x "$busybox" ]] || die "busybox $busybox is not executable"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,mnt,lib/winiommu}
cp "$busybox" "$work/bin/busybox"

loads=() steps=() tests=()
while (($#)); do
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
	for e in "${loads[@]}"; do
		printf 'ldmod %s %q\n' "${e%%|*}" "${e#*|}"
	done
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
	for ((i = ${#tests[@]} - 1; i >= 0; i--)); do
		n=${tests[i]%%|*}
		printf 'rmmod %s; echo "=== rmmod %s rc=$?"\n' "$n" "$n"
	done
	cat <<'TAIL'
echo "=== winiommu-done"
poweroff -f
TAIL
} >"$work/init"
chmod +x "$work/init"
(cd "$work" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
