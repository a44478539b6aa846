#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build a kernel with KUnit from Debian's linux-source-6.12 and one of the
# config fragments in kconfig/.  Debian's own kernels have no KUnit, so the
# KUnit suites run in this kernel.  Cached by the hash of the fragment and the
# source version: a second run with nothing changed does nothing.
#
# usage: build-kunit-kernel.sh [x86_64|arm64] [FLAVOUR]
#   FLAVOUR: kunit (default) or another kconfig/<arch>-<flavour>.config
# prints the build directory on stdout.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=${1:-x86_64}
flavour=${2:-kunit}
frag="$TOPDIR/kconfig/$arch-$flavour.config"
[[ -f "$frag" ]] || die "no config fragment $frag"

tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null) ||
	die "linux-source-6.12 is not installed (run scripts/install-deps.sh)"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
src="$CACHE/src/linux-source-6.12-$srcver"
hash=$( (cat "$frag"; echo "$srcver") | sha256sum | cut -c1-12)
out="$CACHE/kunit/$arch-$flavour-$hash"

case "$arch" in
x86_64) kimg=arch/x86/boot/bzImage; target=bzImage; cross= ;;
arm64)  kimg=arch/arm64/boot/Image;  target=Image;   cross=aarch64-linux-gnu- ;;
*) die "unknown arch $arch" ;;
esac

if [[ -f "$out/.winiommu-done" ]]; then
	echo "$out"
	exit 0
fi

if [[ ! -f "$src/.winiommu-extracted" ]]; then
	log "kunit-kernel: extracting linux-source-6.12 $srcver"
	rm -rf "$src" && mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	touch "$src/.winiommu-extracted"
fi

log "kunit-kernel: configuring $arch-$flavour ($out)"
rm -rf "$out" && mkdir -p "$out"
mk=(make -s -C "$src" O="$out" ARCH="$arch" ${cross:+CROSS_COMPILE=$cross})
KCONFIG_ALLCONFIG="$frag" "${mk[@]}" allnoconfig >/dev/null
# Every line of the fragment must survive: a silently dropped option would
# give a kernel that boots but tests less than we think.
missing=0
while IFS= read -r line; do
	[[ "$line" =~ ^CONFIG_ ]] || continue
	grep -qxF "$line" "$out/.config" || { log "kunit-kernel: $line did not stick"; missing=1; }
done <"$frag"
((missing == 0)) || die "config fragment $frag did not apply cleanly"

log "kunit-kernel: building $target + modules with -j$(nproc)"
t0=$(date +%s)
"${mk[@]}" -j"$(nproc)" "$target" modules >"$out/build.log" 2>&1 ||
	{ tail -n 30 "$out/build.log" >&2; die "kernel build failed (log: $out/build.log)"; }
log "kunit-kernel: built in $(since "$t0") s"
ln -sfn "$kimg" "$out/kernel-image"
ln -sfn "$src" "$out/source"
touch "$out/.winiommu-done"
echo "$out"
