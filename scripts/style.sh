#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The style gate: the kernel's own checkers, from the cached Debian
# linux-source-6.12 tree ($CACHE/src/linux-source-6.12-<version>, as
# scripts/build-kunit-kernel.sh extracts it), on a snapshot of the tree
# copied to build/style/ (the work tree is only read).
#
#   checkpatch  checkpatch.pl --strict on every .c and .h of module/, kunit/, bench/,
#               samples/ and include/winiommu/; no finding is allowed but:
#                 CAMELCASE     a word declared in include/winiommu/wdm.h or
#                               ntstatus.h (the Windows names of the contract;
#                               checkpatch seeds CamelCase names from
#                               include/ the same way in the kernel tree)
#                 NEW_TYPEDEFS  in include/winiommu/*.h (Windows' types are
#                               the contract)
#                 LINUX_VERSION_CODE, and CONSTANT_COMPARISON on a line that
#                               tests LINUX_VERSION_CODE, in module/compat.h
#                               (the one file that knows kernel versions)
#               checkpatch is told the type names those two headers typedef
#               (--typedefsfile): it cannot learn a type from a typedef, and
#               reads "PIOMMU_DMA_DOMAIN *DomainOut" as a multiplication.
#   sparse      make C=2 against the Debian 6.12 headers: no diagnostic
#   kernel-doc  kernel-doc -none -Wall on include/winiommu/*.h and every
#               module/*.c that exports symbols: no warning; and every
#               exported function has a kernel-doc comment at its definition
#
# Prints one line per check on stdout, "CHECK<TAB>PASS|FAIL<TAB>DETAIL"; the
# findings go to stderr and build/style/<check>.log.  Exits 0 only if every
# check passes.
#
# usage: style.sh
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT="$TOPDIR/build/style"
SNAP="$OUT/src"
rm -rf "$OUT"
mkdir -p "$SNAP"

failed=0
result() {
	printf '%s\t%s\t%s\n' "$1" "$2" "$3"
	[[ $2 == PASS ]] || failed=1
}

# The snapshot: what git tracks (and new files it does not ignore), as
# scripts/check.sh's builds copy it.
if git -C "$TOPDIR" rev-parse --git-dir >/dev/null 2>&1; then
	copy_sources "$SNAP" "${WINIOMMU_SOURCES[@]}" bench
else
	(cd "$TOPDIR" && tar --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' --exclude='.*.cmd' -cf - Makefile \
		Kbuild Kconfig module include kunit samples bench) | tar -xf - -C "$SNAP"
fi
mapfile -t files < <(cd "$SNAP" && find module kunit samples bench include/winiommu -type f \
	\( -name '*.c' -o -name '*.h' \) | LC_ALL=C sort)

# The kernel's scripts: the extracted linux-source-6.12, else the few we
# need taken from its tarball.
KSCRIPTS=
if srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null); then
	src="$CACHE/src/linux-source-6.12-$srcver"
	if [[ -f "$src/scripts/checkpatch.pl" && -f "$src/scripts/kernel-doc" ]]; then
		KSCRIPTS="$src/scripts"
	elif [[ -f /usr/src/linux-source-6.12.tar.xz ]]; then
		log "style: taking checkpatch.pl and kernel-doc from linux-source-6.12.tar.xz"
		mkdir -p "$OUT/tools"
		tar -xJf /usr/src/linux-source-6.12.tar.xz -C "$OUT/tools" --strip-components=1 \
			linux-source-6.12/scripts/checkpatch.pl linux-source-6.12/scripts/kernel-doc \
			linux-source-6.12/scripts/spelling.txt linux-source-6.12/scripts/const_structs.checkpatch
		KSCRIPTS="$OUT/tools/scripts"
	fi
fi

# ---- checkpatch -------------------------------------------------------------

# The names of the Windows contract: every identifier in the code (comments
# and strings left out) of wdm.h and ntstatus.h, and the typedef'd ones.
python3 - "$SNAP/include/winiommu/wdm.h" "$SNAP/include/winiommu/ntstatus.h" \
	"$OUT/windows-names.txt" "$OUT/windows-types.txt" <<'PY'
import re, sys
names, types = set(), set()
for path in sys.argv[1:3]:
    t = open(path).read()
    t = re.sub(r"/\*.*?\*/", " ", t, flags=re.S)
    t = re.sub(r"//[^\n]*", " ", t)
    t = re.sub(r'"(\\.|[^"\\\n])*"', " ", t)
    t = re.sub(r"'(\\.|[^'\\\n])*'", " ", t)
    names |= set(re.findall(r"\b[A-Za-z_]\w*", t))
    code = "\n".join(l for l in t.split("\n") if not l.lstrip().startswith("#"))
    for m in re.finditer(r"\btypedef\b", code):
        # the statement, up to its ';' outside braces
        i, depth = m.end(), 0
        while i < len(code) and (code[i] != ";" or depth):
            depth += {"{": 1, "}": -1}.get(code[i], 0)
            i += 1
        s = code[m.end():i]
        while re.search(r"\{[^{}]*\}", s):
            s = re.sub(r"\{[^{}]*\}", " ", s)
        s = re.sub(r"\(\s*\*\s*(\w+)\s*\)", r" *\1 ", s)	# (*PFN)(...)
        while re.search(r"\([^()]*\)", s):
            s = re.sub(r"\([^()]*\)", " ", s)
        s = re.sub(r"\[[^\]]*\]", " ", s)
        for part in s.split(","):
            ids = re.findall(r"\b[A-Za-z_]\w*", part)
            if ids:
                types.add(ids[-1])
open(sys.argv[3], "w").write("".join(n + "\n" for n in sorted(names)))
# checkpatch joins these words into one alternation that only its last
# word closes with \b: close each one, longest first (ULONGLONG, ULONG).
open(sys.argv[4], "w").write("".join(n + "\\b\n" for n in sorted(types, key=lambda n: (-len(n), n))))
PY

t0=$(date +%s)
if [[ -z "$KSCRIPTS" ]]; then
	result checkpatch FAIL "no linux-source-6.12 (run scripts/install-deps.sh)"
else
	# Run in the snapshot: no .git there, so checkpatch seeds no CamelCase
	# names of its own and leaves its cache file in build/style/src.
	# The two contract headers are checked with their type names known,
	# everything else as checkpatch sees it (a typedefs file would also
	# silence NEW_TYPEDEFS on any line naming one of those types).
	headers=() others=()
	for f in "${files[@]}"; do
		case $f in
		include/winiommu/*.h) headers+=("$f") ;;
		*) others+=("$f") ;;
		esac
	done
	rc=0
	: >"$OUT/checkpatch.raw"
	: >"$OUT/checkpatch.err"
	checkpatch() {
		local r=0
		(cd "$SNAP" && perl "$KSCRIPTS/checkpatch.pl" --strict --no-tree --terse --show-types "$@") \
			>>"$OUT/checkpatch.raw" 2>>"$OUT/checkpatch.err" || r=$?
		((r <= rc)) || rc=$r
	}
	if ((${#headers[@]})); then
		checkpatch --typedefsfile "$OUT/windows-types.txt" -f "${headers[@]}"
	fi
	if ((${#others[@]})); then
		checkpatch -f "${others[@]}"
	fi
	# Without a tree checkpatch looks for /include to seed from: harmless.
	grep -vE "find: .*/include|uninitialized value .root" "$OUT/checkpatch.err" >&2 || true
	detail=$(cd "$SNAP" && python3 - "$OUT/checkpatch.raw" "$OUT/windows-names.txt" \
		"$OUT/checkpatch.log" "${#files[@]}" "$rc" <<'PY'
import re, sys, fnmatch
raw, names, log, nfiles, rc = sys.argv[1:6]
windows = set(open(names).read().split())
accepted = {"CAMELCASE": 0, "NEW_TYPEDEFS": 0, "LINUX_VERSION_CODE": 0, "CONSTANT_COMPARISON": 0}
findings, lines_seen = [], 0
src = {}
def line_of(path, n):
    if path not in src:
        src[path] = open(path, errors="replace").read().split("\n")
    return src[path][n - 1] if 0 < n <= len(src[path]) else ""
for l in open(raw):
    l = l.rstrip("\n")
    if not l or l.startswith("total: "):
        continue
    m = re.match(r"^(\S+?):(\d+): (ERROR|WARNING|CHECK):([A-Z0-9_]+): (.*)$", l)
    if not m:
        findings.append(l)          # not understood: a finding
        continue
    path, n, _, kind, msg = m.group(1), int(m.group(2)), m.group(3), m.group(4), m.group(5)
    ok = False
    if kind == "CAMELCASE":
        w = re.search(r"<(\w+)>", msg)
        ok = bool(w) and w.group(1) in windows
    elif kind == "NEW_TYPEDEFS":
        ok = fnmatch.fnmatch(path, "include/winiommu/*.h")
    elif kind == "LINUX_VERSION_CODE":
        ok = path == "module/compat.h"
    elif kind == "CONSTANT_COMPARISON":
        ok = path == "module/compat.h" and "LINUX_VERSION_CODE" in line_of(path, n)
    if ok:
        accepted[kind] += 1
    else:
        findings.append(l)
with open(log, "w") as f:
    f.write("".join(x + "\n" for x in findings))
for x in findings:
    print(x, file=sys.stderr)
acc = ", ".join(f"{k} {v}" for k, v in accepted.items())
if not findings and rc not in ("0", "1"):
    findings.append(f"checkpatch.pl exited {rc}")
    print(findings[-1], file=sys.stderr)
print(f"{nfiles} files, {len(findings)} findings (accepted: {acc})")
sys.exit(1 if findings else 0)
PY
	) && result checkpatch PASS "$detail, $(since "$t0") s" ||
		result checkpatch FAIL "$detail, see $OUT/checkpatch.log"
fi

# ---- sparse -----------------------------------------------------------------

t0=$(date +%s)
KDIR=
envf="$CACHE/kernels/6.12/env"
[[ -f "$envf" ]] && KDIR=$(sed -n 's/^KDIR=//p' "$envf")
if ! command -v sparse >/dev/null; then
	result sparse FAIL "sparse is not installed (run scripts/install-deps.sh)"
elif [[ -z "$KDIR" || ! -d "$KDIR" ]]; then
	result sparse FAIL "no Debian 6.12 headers (run scripts/fetch-kernels.sh)"
else
	# A copy of its own: the build leaves objects behind.
	mkdir -p "$OUT/sparse"
	(cd "$SNAP" && tar -cf - .) | tar -xf - -C "$OUT/sparse"
	rm -f "$OUT/sparse"/.checkpatch-camelcase.*
	rc=0
	make -C "$KDIR" M="$OUT/sparse" C=2 CONFIG_WINIOMMU=m CONFIG_WINIOMMU_SAMPLES=m \
		CONFIG_WINIOMMU_BENCH=m modules \
		>"$OUT/sparse.log" 2>&1 || rc=$?
	nchecked=$(grep -cE '^\s+CHECK\s' "$OUT/sparse.log" || true)
	ndiag=$(grep -cE '^[^ ]+:[0-9]+(:[0-9]+)?: (warning|error):' "$OUT/sparse.log" || true)
	if ((rc == 0 && ndiag == 0 && nchecked > 0)); then
		result sparse PASS "$nchecked files checked, 0 warnings, $(since "$t0") s"
	else
		grep -E '^[^ ]+:[0-9]+(:[0-9]+)?: (warning|error):' "$OUT/sparse.log" |
			sed "s|$OUT/sparse/||" >&2 || true
		why="$ndiag warnings"
		((rc == 0)) || why="build failed (make exited $rc), $why"
		((nchecked > 0)) || why+=", no file checked"
		result sparse FAIL "$why, see $OUT/sparse.log"
	fi
fi

# ---- kernel-doc -------------------------------------------------------------

t0=$(date +%s)
if [[ -z "$KSCRIPTS" ]]; then
	result kernel-doc FAIL "no linux-source-6.12 (run scripts/install-deps.sh)"
else
	kdfiles=()
	for f in "${files[@]}"; do
		case $f in
		include/winiommu/*.h) kdfiles+=("$f") ;;
		module/*.c) grep -qE '^\s*EXPORT_SYMBOL' "$SNAP/$f" && kdfiles+=("$f") ;;
		esac
	done
	: >"$OUT/kernel-doc.log"
	(cd "$SNAP" && perl "$KSCRIPTS/kernel-doc" -none -Wall "${kdfiles[@]}") \
		>>"$OUT/kernel-doc.log" 2>&1 || true
	nwarn=$(grep -cE ': (warning|error):' "$OUT/kernel-doc.log" || true)
	# Exported functions without a kernel-doc comment at their definition:
	# what -export documents, against what the file exports.
	undoc=()
	nexp=0
	for f in "${kdfiles[@]}"; do
		[[ $f == module/*.c ]] || continue
		documented=$(cd "$SNAP" && perl "$KSCRIPTS/kernel-doc" -rst -export "$f" 2>/dev/null |
			sed -n 's/^\.\. c:function:: \([^(]*\)(.*/\1/p' | awk '{ sub(/^\*+/, "", $NF); print $NF }')
		for sym in $(sed -nE 's/^\s*EXPORT_SYMBOL(_NS)?(_GPL)?\s*\(\s*([A-Za-z_][A-Za-z0-9_]*).*/\3/p' \
			"$SNAP/$f"); do
			# a function: defined at the start of a line as NAME(
			grep -qE "^([A-Za-z_].*[ *])?$sym\(" "$SNAP/$f" || continue
			nexp=$((nexp + 1))
			grep -qxF "$sym" <<<"$documented" || undoc+=("$f: $sym")
		done
	done
	for u in "${undoc[@]}"; do
		echo "${u%%:*}: exported function ${u#*: } has no kernel-doc comment" >>"$OUT/kernel-doc.log"
	done
	if ((nwarn == 0 && ${#undoc[@]} == 0)); then
		result kernel-doc PASS "${#kdfiles[@]} files, 0 warnings, $nexp exported functions documented, $(since "$t0") s"
	else
		cat "$OUT/kernel-doc.log" >&2
		result kernel-doc FAIL "$nwarn warnings, ${#undoc[@]} of $nexp exported functions undocumented, see $OUT/kernel-doc.log"
	fi
fi

exit "$failed"
