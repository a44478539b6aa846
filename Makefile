# SPDX-License-Identifier: GPL-2.0-only
#
# winiommu: the Windows kernel DMA IOMMU interface for Linux drivers.
#
#   make [KDIR=<kernel build dir>]   build winiommu.ko (+ samples, + KUnit
#                                    suites when the kernel has CONFIG_KUNIT)
#   make check                       the full test matrix in QEMU (README)
#   make check-quick                 one KUnit target, warm cache
#   make check-debug                 the suites under KASAN, kmemleak, lockdep
#                                    and fail-nth (builds the debug kernel)
#   make demo [IOMMU=..] [KERNEL=..] [SCENARIO=..]
#                                    boot a guest and run the edu sample
#   make bench [IOMMU=..] [KERNEL=..]
#                                    time winiommu against the raw Linux calls
#                                    in a guest; updates docs/benchmarks.md
#   make setup                       install packages, fetch kernels, build
#                                    the KUnit kernel (check/demo do this too)

CACHE ?= $(or $(WINIOMMU_CACHE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/winiommu)

# Default kernel: the running kernel's build directory, else the project's
# cached Debian 6.12 headers (scripts/fetch-kernels.sh).
ifeq ($(origin KDIR),undefined)
KDIR := $(wildcard /lib/modules/$(shell uname -r)/build)
ifeq ($(KDIR),)
KDIR := $(shell sed -n 's/^KDIR=//p' $(CACHE)/kernels/6.12/env 2>/dev/null)
endif
endif

# Only kernels built with KUnit can link the suites.
HAVE_KUNIT := $(shell grep -qsE '^CONFIG_KUNIT=(y|m)' $(KDIR)/.config && echo y)

KBUILD_VARS := CONFIG_WINIOMMU=m CONFIG_WINIOMMU_SAMPLES=m
ifeq ($(HAVE_KUNIT),y)
KBUILD_VARS += CONFIG_WINIOMMU_KUNIT_TEST=m
endif
ifeq ($(WERROR),1)
KBUILD_VARS += KCFLAGS=-Werror
endif

.PHONY: all modules extmod bench-modules clean modules_install setup check check-quick demo \
	bench help

all: modules

modules:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "no kernel build directory: pass KDIR=... or run 'make setup'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_VARS) modules

# An external user of winiommu, linked against our Module.symvers.
extmod: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR)/samples/extmod KBUILD_EXTRA_SYMBOLS=$(CURDIR)/Module.symvers \
		$(if $(filter 1,$(WERROR)),KCFLAGS=-Werror) modules

# winiommu with the benchmark module (bench/); scripts/bench.sh builds
# this in its copy of the tree for make bench.
bench-modules:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || { echo "no kernel build directory: pass KDIR=... or run 'make setup'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_VARS) CONFIG_WINIOMMU_BENCH=m modules

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_VARS) modules_install

clean:
	@if [ -n "$(KDIR)" ] && [ -d "$(KDIR)" ]; then \
		$(MAKE) -C $(KDIR) M=$(CURDIR) clean; \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/samples/extmod clean; fi
	rm -rf build

setup:
	scripts/install-deps.sh
	scripts/fetch-kernels.sh
	scripts/build-kunit-kernel.sh x86_64 >/dev/null

check:
	scripts/check.sh

check-quick:
	scripts/check.sh --quick

# the KUnit suites and the edu sample under KASAN, kmemleak, lockdep and
# fail-nth (the debug KUnit kernel, built once and cached)
.PHONY: check-debug
check-debug:
	scripts/check-debug.sh

demo:
	scripts/demo.sh "$(or $(IOMMU),virtio)" "$(or $(KERNEL),6.12)" "$(or $(SCENARIO),translate)"

bench:
	scripts/bench.sh "$(or $(IOMMU),virtio)" "$(or $(KERNEL),6.12)"

help:
	@sed -n '3,18p' Makefile
