#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fetch the stock Debian kernels winiommu is built and booted against, into
# $CACHE/kernels/<name>/, and write an env file per kernel:
#   6.1, 6.12     amd64 from bookworm (headers installed with apt, image
#                 unpacked with dpkg -x: the host's boot setup is left alone)
#   arm64-6.12    arm64 image + headers unpacked with dpkg -x, built with the
#                 host's amd64 linux-kbuild (never apt-get install arm64 headers:
#                 apt would remove the host's gcc)
#   7.2           sid, through a private apt state that leaves the machine's
#                 sources alone, with a minimal sid chroot to build modules in
#                 (7.2's build helpers need a newer glibc and gcc)
#
# usage: fetch-kernels.sh [NAME...]   (default: all)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

export DEBIAN_FRONTEND=noninteractive
K="$CACHE/kernels"
mkdir -p "$K"

# write_env NAME KEY=VALUE...
write_env() {
	local name=$1; shift
	printf '%s\n' "$@" >"$K/$name/env.tmp"
	mv "$K/$name/env.tmp" "$K/$name/env"
}

# unpack DIR DEB...: dpkg -x every deb into DIR/root.
unpack() {
	local dir=$1; shift
	mkdir -p "$dir/root"
	for deb in "$@"; do dpkg -x "$deb" "$dir/root"; done
}

fetch_bookworm_amd64() {
	local name=$1 hdr_re=$2 hdr kver dir
	[[ -f "$K/$name/env" ]] && { log "fetch: $name cached"; return; }
	need_root "fetching kernel $name"
	hdr=$(apt_newest "$hdr_re")
	[[ -n "$hdr" ]] || die "no package matches $hdr_re (apt-get update?)"
	kver=${hdr#linux-headers-}
	log "fetch: $name = $kver"
	apt-get install -y -q --no-install-recommends "$hdr" >/dev/null
	dir="$K/$name"
	rm -rf "$dir" && mkdir -p "$dir/debs"
	(cd "$dir/debs" && apt-get -o APT::Sandbox::User=root download -q "linux-image-$kver-unsigned" >/dev/null)
	unpack "$dir" "$dir"/debs/*.deb
	rm -rf "$dir/debs"
	write_env "$name" "KVER=$kver" "ARCH=x86_64" \
		"KDIR=/usr/src/linux-headers-$kver" \
		"KIMAGE=$dir/root/boot/vmlinuz-$kver" \
		"MODDIR=$dir/root/lib/modules/$kver" \
		"CHROOT="
}

fetch_arm64() {
	local name=arm64-6.12 hdr kver base dir
	[[ -f "$K/$name/env" ]] && { log "fetch: $name cached"; return; }
	need_root "fetching kernel $name"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		dpkg --add-architecture arm64
		apt-get update -q >/dev/null
	fi
	hdr=$(apt_newest '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$')
	kver=${hdr#linux-headers-}
	base=${kver%-amd64}
	log "fetch: $name = $base-arm64"
	# the -common headers (arch: all) and linux-kbuild come with the amd64 headers
	apt-get install -y -q --no-install-recommends "$hdr" >/dev/null
	dir="$K/$name"
	rm -rf "$dir" && mkdir -p "$dir/debs"
	(cd "$dir/debs" && apt-get -o APT::Sandbox::User=root download -q "linux-headers-$base-arm64:arm64" \
		"linux-image-$base-arm64-unsigned:arm64" "busybox-static:arm64" >/dev/null)
	unpack "$dir" "$dir"/debs/*.deb
	rm -rf "$dir/debs"
	local kdir="$dir/root/usr/src/linux-headers-$base-arm64"
	local kbuild="/usr/lib/linux-kbuild-${base}"
	[[ -d "$kbuild" ]] || die "$kbuild missing"
	ln -sfn "$kbuild/scripts" "$kdir/scripts"
	ln -sfn "$kbuild/tools" "$kdir/tools"
	write_env "$name" "KVER=$base-arm64" "ARCH=arm64" "KDIR=$kdir" \
		"KIMAGE=$dir/root/boot/vmlinuz-$base-arm64" \
		"MODDIR=$dir/root/lib/modules/$base-arm64" \
		"BUSYBOX=$dir/root/bin/busybox" \
		"CHROOT="
}

# apt for sid with a private state directory.
SIDAPT="$CACHE/apt-sid"
sid_apt() {
	apt-get -o Dir::Etc::sourcelist="$SIDAPT/sid.list" -o Dir::Etc::sourceparts=/dev/null \
		-o Dir::State::Lists="$SIDAPT/lists" -o Dir::Cache="$SIDAPT/cache" \
		-o APT::Architectures::=amd64 -o APT::Sandbox::User=root "$@"
}

fetch_sid() {
	local name=7.2 pkg kver dir root
	[[ -f "$K/$name/env" ]] && { log "fetch: $name cached"; return; }
	need_root "fetching kernel $name"
	mkdir -p "$SIDAPT/lists/partial" "$SIDAPT/cache/archives/partial"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR sid main" \
		>"$SIDAPT/sid.list"
	sid_apt -q update >/dev/null
	pkg=$(apt-cache -o Dir::State::Lists="$SIDAPT/lists" -o Dir::Cache="$SIDAPT/cache" \
		-o Dir::Etc::sourcelist="$SIDAPT/sid.list" -o Dir::Etc::sourceparts=/dev/null \
		-o APT::Architectures::=amd64 \
		search --names-only '^linux-headers-7\.2\.[0-9]+\+deb[0-9]+-amd64$' |
		awk '{print $1}' | sort -V | tail -n 1)
	[[ -n "$pkg" ]] || die "sid has no linux-headers-7.2.*-amd64"
	kver=${pkg#linux-headers-}
	log "fetch: $name = $kver"
	dir="$K/$name"
	rm -rf "$dir" && mkdir -p "$dir/debs"
	(cd "$dir/debs" && sid_apt -q download "linux-binary-$kver" "linux-modules-$kver" >/dev/null)
	unpack "$dir" "$dir"/debs/*.deb
	rm -rf "$dir/debs"
	local img
	img=$(find "$dir/root" -name 'vmlinuz*' -type f | head -n 1)
	[[ -n "$img" ]] || die "no vmlinuz in the 7.2 packages"
	local moddir
	moddir=$(find "$dir/root" -type d -path "*/modules/$kver" | head -n 1)

	root="$CACHE/sid-root"
	if [[ ! -f "$root/.winiommu-ready" ]]; then
		log "fetch: debootstrap sid (minbase) into $root"
		rm -rf "$root"
		debootstrap --variant=minbase sid "$root" "$DEBIAN_MIRROR" >"$CACHE/debootstrap.log" 2>&1 ||
			{ tail -n 20 "$CACHE/debootstrap.log" >&2; die "debootstrap failed"; }
		touch "$root/.winiommu-ready"
	fi
	log "fetch: installing linux-headers-$kver in the sid chroot"
	chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
		apt-get -q -o Acquire::Check-Valid-Until=false update >/dev/null
	chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -q --no-install-recommends make "linux-headers-$kver" >/dev/null
	write_env "$name" "KVER=$kver" "ARCH=x86_64" "KDIR=/usr/src/linux-headers-$kver" \
		"KIMAGE=$img" "MODDIR=$moddir" "CHROOT=$root"
}

names=("$@")
((${#names[@]})) || names=(6.1 6.12 arm64-6.12 7.2)
for n in "${names[@]}"; do
	case "$n" in
	6.1)        fetch_bookworm_amd64 6.1 '^linux-headers-6\.1\.0-[0-9]+-amd64$' ;;
	6.12)       fetch_bookworm_amd64 6.12 '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' ;;
	arm64-6.12) fetch_arm64 ;;
	7.2)        fetch_sid ;;
	*) die "unknown kernel $n" ;;
	esac
done
