#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build a kernel with KUnit from Debian's linux-source-6.12 (or -6.1) and
# one of the config fragments in kconfig/.  Debian's own kernels have no KUnit, so the
# KUnit suites run in this kernel.  Cached by the hash of the fragment and the
# source version: a second run with nothing changed does nothing.
#
# usage: build-kunit-kernel.sh [--in-tree] [x86_64|arm64] [FLAVOUR] [SERIES]
#   --in-tree: winiommu is part of the kernel tree, as drivers/iommu/winiommu/
#	with its own Kconfig and Kbuild hooked into drivers/iommu/, and is
#	configured (kconfig/winiommu-in-tree.config) and built with the
#	kernel.  A cached kernel gets the project's current sources copied in
#	and its modules rebuilt (only what changed is recompiled).
#   FLAVOUR: kunit (default) or another kconfig/<arch>-<flavour>.config
#   SERIES: the linux-source-SERIES package to build, 6.12 (default) or 6.1
# prints the build directory on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

intree=0
if [[ "${1:-}" == --in-tree ]]; then
	intree=1
	shift
fi
arch=${1:-x86_64}
flavour=${2:-kunit}
series=${3:-6.12}
frag="$TOPDIR/kconfig/$arch-$flavour.config"
[[ -f "$frag" ]] || die "no config fragment $frag"

tarball=$(ls "/usr/src/linux-source-$series.tar.xz" 2>/dev/null) ||
	die "linux-source-$series is not installed (run scripts/install-deps.sh)"
srcver=$(dpkg-query -W -f='${Version}' "linux-source-$series")
src="$CACHE/src/linux-source-$series-$srcver"
fragments=("$frag")
((intree)) && fragments+=("$TOPDIR/kconfig/winiommu-in-tree.config")
hash=$( (cat "${fragments[@]}"; echo "$srcver") | sha256sum | cut -c1-12)
out="$CACHE/kunit/$arch-$flavour-$hash"	# srcver names the series
((intree)) && out+="-in-tree"

case "$arch" in
x86_64) kimg=arch/x86/boot/bzImage; target=bzImage; cross= ;;
arm64)  kimg=arch/arm64/boot/Image;  target=Image;   cross=aarch64-linux-gnu- ;;
*) die "unknown arch $arch" ;;
esac

mk=(make -s -C "$src" O="$out" ARCH="$arch" ${cross:+CROSS_COMPILE=$cross})

# sync_tree: the project's kernel sources into drivers/iommu/winiommu/,
# hooked into drivers/iommu/Kconfig and Makefile (once per source tree).
# Files whose bytes did not change keep their time stamps, so kbuild
# recompiles only what changed.
sync_tree() {
	local dst="$src/drivers/iommu/winiommu" f
	mkdir -p "$dst"
	(cd "$TOPDIR" && git ls-files -co --exclude-standard -- Kconfig Kbuild module include kunit samples) |
	while IFS= read -r f; do
		[[ -f "$TOPDIR/$f" ]] || continue
		if ! cmp -s "$TOPDIR/$f" "$dst/$f"; then
			mkdir -p "$dst/$(dirname "$f")"
			cp "$TOPDIR/$f" "$dst/$f"
		fi
	done
	# files the project no longer has
	(cd "$dst" && find . -type f -printf '%P\n') | while IFS= read -r f; do
		[[ -e "$TOPDIR/$f" ]] || rm -f "$dst/$f"
	done
	if ! grep -q 'drivers/iommu/winiommu/Kconfig' "$src/drivers/iommu/Kconfig"; then
		printf '\nsource "drivers/iommu/winiommu/Kconfig"\n' >>"$src/drivers/iommu/Kconfig"
		printf '\nobj-$(CONFIG_WINIOMMU) += winiommu/\n' >>"$src/drivers/iommu/Makefile"
	fi
}

if [[ -f "$out/.winiommu-done" ]]; then
	# WINIOMMU_NO_REBUILD=1: only make sure the kernel is there
	if ((intree)) && [[ -z "${WINIOMMU_NO_REBUILD:-}" ]]; then
		sync_tree
		log "kunit-kernel: rebuilding the in-tree winiommu modules"
		"${mk[@]}" -j"$(nproc)" modules >"$out/modules.log" 2>&1 ||
			{ tail -n 30 "$out/modules.log" >&2; die "in-tree module build failed (log: $out/modules.log)"; }
	fi
	echo "$out"
	exit 0
fi

if [[ ! -f "$src/.winiommu-extracted" ]]; then
	log "kunit-kernel: extracting linux-source-$series $srcver"
	rm -rf "$src" && mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	touch "$src/.winiommu-extracted"
fi
((intree)) && sync_tree

log "kunit-kernel: configuring $arch-$flavour ($out)"
rm -rf "$out" && mkdir -p "$out"
cat "${fragments[@]}" >"$out/fragment.config"
KCONFIG_ALLCONFIG="$out/fragment.config" "${mk[@]}" allnoconfig >/dev/null
# Every line of the fragment must survive: a silently dropped option would
# give a kernel that boots but tests less than we think.
missing=0
while IFS= read -r line; do
	[[ "$line" =~ ^CONFIG_ ]] || continue
	grep -qxF "$line" "$out/.config" || { log "kunit-kernel: $line did not stick"; missing=1; }
done <"$out/fragment.config"
((missing == 0)) || die "config fragment ${fragments[*]} did not apply cleanly"

log "kunit-kernel: building $target + modules with -j$(nproc)"
t0=$(date +%s)
"${mk[@]}" -j"$(nproc)" "$target" modules >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; die "kernel build failed (log: $out/build.log)"; }
log "kunit-kernel: built in $(since "$t0") s"
ln -sfn "$kimg" "$out/kernel-image"
ln -sfn "$src" "$out/source"
touch "$out/.winiommu-done"
echo "$out"
