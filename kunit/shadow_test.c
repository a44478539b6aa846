// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Unmanaged domains with the caller's own AArch64 stage-1 tables:
 * ConfigureDomain shadows them, the flushes update the shadow.  A small
 * table builder writes real descriptor trees into pages of kernel memory;
 * the cases check the translations the Linux domain ends up with
 * (iommu_iova_to_phys) and move real bytes through QEMU's edu device.
 */
#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/sizes.h>

#include "winiommu_test.h"
#include "edu.h"

/* VMSA stage-1 descriptors, 4 KiB granule, as the caller writes them. */
#define D_VALID		BIT_ULL(0)
#define D_TABLE		BIT_ULL(1)	/* table at levels 0-2, page at level 3 */
#define D_RDONLY	BIT_ULL(7)	/* AP[2] */
#define D_AF		BIT_ULL(10)
#define D_APT_RDONLY	BIT_ULL(62)	/* APTable[1] */

#define TB_MAX_TABLES	16

/* A descriptor tree under construction: every table is one page. */
struct tb {
	struct page *tables[TB_MAX_TABLES];
	unsigned int nr;
	u64 root;
	unsigned int bits;
};

struct sh_fixture {
	struct winiommu_test_fx fx;
	struct tb tb[2];
};

static unsigned int tb_shift(int level)
{
	return 12 + 9 * (3 - level);
}

static int tb_start_level(unsigned int bits)
{
	return bits > 39 ? 0 : bits > 30 ? 1 : 2;
}

static u64 tb_new_table(struct kunit *test, struct tb *t)
{
	struct page *p;

	KUNIT_ASSERT_LT(test, t->nr, TB_MAX_TABLES);
	p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, p);
	t->tables[t->nr++] = p;
	return page_to_phys(p);
}

static __le64 *tb_entries(u64 table)
{
	return page_address(pfn_to_page(table >> PAGE_SHIFT));
}

static void tb_init(struct kunit *test, struct tb *t, unsigned int bits)
{
	t->bits = bits;
	t->root = tb_new_table(test, t);
}

/*
 * The entry that translates @va at @level, building tables down to it;
 * @flags go into the table descriptors made on the way.
 */
static __le64 *tb_slot(struct kunit *test, struct tb *t, u64 va, int level, u64 tflags)
{
	u64 table = t->root, mask = t->bits == 64 ? U64_MAX : BIT_ULL(t->bits) - 1;
	int l;

	KUNIT_ASSERT_GE(test, level, tb_start_level(t->bits));
	va &= mask;
	for (l = tb_start_level(t->bits); ; l++) {
		__le64 *e = &tb_entries(table)[(va >> tb_shift(l)) & 511];
		u64 d;

		if (l == level)
			return e;
		d = le64_to_cpu(*e);
		if (!(d & D_VALID)) {
			d = tb_new_table(test, t) | D_VALID | D_TABLE | tflags;
			*e = cpu_to_le64(d);
		}
		table = d & GENMASK_ULL(47, 12);
	}
}

/* A page (level 3) or a block (level 1, 2) from @va to @pa. */
static void tb_map(struct kunit *test, struct tb *t, u64 va, u64 pa, int level, u64 flags)
{
	u64 d = pa | D_VALID | D_AF | flags | (level == 3 ? D_TABLE : 0);

	*tb_slot(test, t, va, level, 0) = cpu_to_le64(d);
}

static void tb_put(struct kunit *test, struct tb *t, u64 va, int level, u64 raw)
{
	*tb_slot(test, t, va, level, 0) = cpu_to_le64(raw);
}

static void tb_free(struct tb *t)
{
	while (t->nr)
		__free_page(t->tables[--t->nr]);
}

static int sh_init(struct kunit *test)
{
	struct sh_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	winiommu_test_fx_setup(test, &f->fx);
	test->priv = f;
	return 0;
}

static void sh_exit(struct kunit *test)
{
	struct sh_fixture *f = test->priv;

	winiommu_test_fx_teardown(test, &f->fx);
	/* the tables outlive the domain that shadowed them */
	tb_free(&f->tb[0]);
	tb_free(&f->tb[1]);
}

static void sh_domain(struct kunit *test)
{
	struct sh_fixture *f = test->priv;

	winiommu_test_fx_domain(test, &f->fx, DomainTypeUnmanaged, 0, NULL);
}

/* The Linux domain the edu is attached to. */
static struct iommu_domain *sh_attach(struct kunit *test)
{
	struct sh_fixture *f = test->priv;

	winiommu_test_fx_attach(test, &f->fx);
	return iommu_get_domain_for_dev(&f->fx.edu->pdev->dev);
}

static NTSTATUS sh_configure(struct kunit *test, bool enabled)
{
	struct sh_fixture *f = test->priv;
	DOMAIN_CONFIGURATION cfg = { .Type = DomainConfigurationArm64 };

	cfg.Arm64.Ttbr0.QuadPart = f->tb[0].bits ? f->tb[0].root : 0;
	cfg.Arm64.InputSize0 = f->tb[0].bits;
	cfg.Arm64.Ttbr1.QuadPart = f->tb[1].bits ? f->tb[1].root : 0;
	cfg.Arm64.InputSize1 = f->tb[1].bits;
	cfg.Arm64.TranslationEnabled = enabled;
	return f->fx.v2->ConfigureDomain(f->fx.dom, &cfg);
}

static void *sh_page(struct kunit *test)
{
	void *p = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_ASSERT_TRUE(test, PAGE_ALIGNED(p));
	return p;
}

static void sh_free_pages(void *p)
{
	free_pages((unsigned long)p, get_order(SZ_2M));
}

/*
 * Pages and their access through the caller's tables: a read/write page,
 * a read-only one (AP[2]), one under a read-only table (APTable), one
 * without its access flag; bytes move only where the tables allow.
 */
static void shadow_page_dma_test(struct kunit *test)
{
	struct sh_fixture *f = test->priv;
	u8 *a = sh_page(test), *b = sh_page(test), *c = sh_page(test), *d = sh_page(test);
	struct iommu_domain *ld;

	sh_domain(test);
	ld = sh_attach(test);
	tb_init(test, &f->tb[0], 39);
	tb_map(test, &f->tb[0], 0x100000, virt_to_phys(a), 3, 0);
	tb_map(test, &f->tb[0], 0x101000, virt_to_phys(b), 3, D_RDONLY);
	tb_map(test, &f->tb[0], 0x103000, virt_to_phys(c), 3, 0);
	/* a page without its access flag: no translation */
	tb_put(test, &f->tb[0], 0x104000, 3, virt_to_phys(d) | D_VALID | D_TABLE);
	/* a page under a table that forbids writes below it */
	tb_slot(test, &f->tb[0], 0x40000000, 2, D_APT_RDONLY);
	tb_map(test, &f->tb[0], 0x40000000, virt_to_phys(d), 3, 0);
	KUNIT_ASSERT_EQ(test, sh_configure(test, TRUE), STATUS_SUCCESS);

	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x100000), virt_to_phys(a));
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x101008), virt_to_phys(b) + 8);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x102000), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x104000), 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x40000000), virt_to_phys(d));

	memset(a, 0x3c, PAGE_SIZE);
	memset(b, 0x5a, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->fx.edu, 0x100000, 0x103000, PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(c, 0x3c, PAGE_SIZE));
	/* read-only, directly and through APTable: writes land nowhere */
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->fx.edu, 0x100000, 0x101000, PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(b, 0x5a, PAGE_SIZE));
	memset(d, 0x77, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->fx.edu, 0x100000, 0x40000000, PAGE_SIZE),
			0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(d, 0x77, PAGE_SIZE));
	/* and the read-only page can be read */
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->fx.edu, 0x101000, 0x103000, PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(c, 0x5a, PAGE_SIZE));
}

/* A 2 MiB block at level 2, and a configuration made before the attach. */
static void shadow_block_replay_test(struct kunit *test)
{
	struct sh_fixture *f = test->priv;
	u8 *big = (u8 *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, get_order(SZ_2M));
	u8 *dst = sh_page(test);
	struct iommu_domain *ld;
	u64 va = 0x80000000;

	KUNIT_ASSERT_NOT_NULL(test, big);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, sh_free_pages, big), 0);
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED(virt_to_phys(big), SZ_2M));
	sh_domain(test);
	tb_init(test, &f->tb[0], 39);
	tb_map(test, &f->tb[0], va, virt_to_phys(big), 2, 0);
	tb_map(test, &f->tb[0], 0x200000, virt_to_phys(dst), 3, 0);
	KUNIT_ASSERT_EQ(test, sh_configure(test, TRUE), STATUS_SUCCESS);
	ld = sh_attach(test);		/* the shadow is replayed */
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, va), virt_to_phys(big));
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, va + SZ_1M + 0x123),
			virt_to_phys(big) + SZ_1M + 0x123);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, va + SZ_2M), 0);
	memset(big + SZ_1M, 0x42, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->fx.edu, va + SZ_1M, 0x200000, PAGE_SIZE),
			0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(dst, 0x42, PAGE_SIZE));
}

/*
 * TTBR1 translates the top of the address space: shadowed where the
 * attached device and its IOMMU address 2^64 - 2^39, refused with
 * STATUS_NOT_SUPPORTED where they do not (VT-d's 39-bit aperture).
 */
static void shadow_ttbr1_test(struct kunit *test)
{
	struct sh_fixture *f = test->priv;
	u8 *a = sh_page(test);
	u64 va = -(1ULL << 39) + 0x5000;
	struct iommu_domain *ld;
	NTSTATUS st;

	sh_domain(test);
	ld = sh_attach(test);
	tb_init(test, &f->tb[1], 39);
	tb_map(test, &f->tb[1], va, virt_to_phys(a), 3, 0);
	st = sh_configure(test, TRUE);
	if (ld->geometry.aperture_end == U64_MAX &&
	    dma_get_mask(&f->fx.edu->pdev->dev) == U64_MAX) {
		KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, va), virt_to_phys(a));
	} else {
		KUNIT_EXPECT_EQ(test, st, STATUS_NOT_SUPPORTED);
		KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, va), 0);
	}
}

/* Malformed tables: a status, and the shadow the domain had stays. */
static void shadow_malformed_test(struct kunit *test)
{
	struct sh_fixture *f = test->priv;
	u8 *a = sh_page(test);
	struct iommu_domain *ld;
	u64 bytes0, bytes1;

	sh_domain(test);
	ld = sh_attach(test);
	tb_init(test, &f->tb[0], 48);
	tb_map(test, &f->tb[0], 0x100000, virt_to_phys(a), 3, 0);
	KUNIT_ASSERT_EQ(test, sh_configure(test, TRUE), STATUS_SUCCESS);
	winiommu_stat_read(WINIOMMU_R_CONFIGURE_DOMAIN, NULL, NULL, &bytes0);

	/* a level-0 block: reserved with a 4 KiB granule */
	tb_put(test, &f->tb[0], 1ULL << 40, 0, D_VALID | D_AF);
	KUNIT_EXPECT_EQ(test, sh_configure(test, TRUE), STATUS_INVALID_PARAMETER_2);
	tb_put(test, &f->tb[0], 1ULL << 40, 0, 0);
	/* a level-3 entry with the block encoding: reserved */
	tb_put(test, &f->tb[0], 0x200000, 3, virt_to_phys(a) | D_VALID | D_AF);
	KUNIT_EXPECT_EQ(test, sh_configure(test, TRUE), STATUS_INVALID_PARAMETER_2);
	tb_put(test, &f->tb[0], 0x200000, 3, 0);
	/* a table beyond RAM: never followed */
	tb_put(test, &f->tb[0], 1ULL << 41, 0, BIT_ULL(46) | D_VALID | D_TABLE);
	KUNIT_EXPECT_EQ(test, sh_configure(test, TRUE), STATUS_INVALID_PARAMETER_2);
	tb_put(test, &f->tb[0], 1ULL << 41, 0, 0);
	/* a page of memory that is not RAM */
	tb_map(test, &f->tb[0], 0x300000, BIT_ULL(45), 3, 0);
	KUNIT_EXPECT_EQ(test, sh_configure(test, TRUE), STATUS_INVALID_PARAMETER_2);
	tb_put(test, &f->tb[0], 0x300000, 3, 0);

	/* through all of it the first shadow stayed, and only it */
	winiommu_stat_read(WINIOMMU_R_CONFIGURE_DOMAIN, NULL, NULL, &bytes1);
	KUNIT_EXPECT_EQ(test, bytes1, bytes0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x100000), virt_to_phys(a));
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x300000), 0);
}

/*
 * A table graph that never ends in practice: every entry of a level-1,
 * level-2 and level-3 table points at the next table down (512^3 pages).
 * The walk stops at its bound; nothing is mapped.
 */
static void shadow_walk_bound_test(struct kunit *test)
{
	struct sh_fixture *f = test->priv;
	u8 *a = sh_page(test);
	u64 l2, l3, bytes0, bytes1;
	__le64 *e;
	int i;

	sh_domain(test);
	tb_init(test, &f->tb[0], 39);		/* the root is level 1 */
	l2 = tb_new_table(test, &f->tb[0]);
	l3 = tb_new_table(test, &f->tb[0]);
	e = tb_entries(f->tb[0].root);
	for (i = 0; i < 512; i++)
		e[i] = cpu_to_le64(l2 | D_VALID | D_TABLE);
	e = tb_entries(l2);
	for (i = 0; i < 512; i++)
		e[i] = cpu_to_le64(l3 | D_VALID | D_TABLE);
	e = tb_entries(l3);
	for (i = 0; i < 512; i++)
		e[i] = cpu_to_le64(virt_to_phys(a) | D_VALID | D_TABLE | D_AF);
	winiommu_stat_read(WINIOMMU_R_CONFIGURE_DOMAIN, NULL, NULL, &bytes0);
	KUNIT_EXPECT_EQ(test, sh_configure(test, TRUE), STATUS_INSUFFICIENT_RESOURCES);
	winiommu_stat_read(WINIOMMU_R_CONFIGURE_DOMAIN, NULL, NULL, &bytes1);
	KUNIT_EXPECT_EQ(test, bytes1, bytes0);
}

/*
 * Like an IOTLB, the shadow keeps what it saw until a flush: a changed
 * page is seen after FlushDomainByVaList of its address, a removed one is
 * gone after FlushDomain, a new one appears; DMA follows.
 */
static void shadow_flush_test(struct kunit *test)
{
	struct sh_fixture *f = test->priv;
	u8 *a = sh_page(test), *b = sh_page(test), *c = sh_page(test);
	struct iommu_domain *ld;
	ULONGLONG va[2] = { 0x100000, 0x105000 };

	sh_domain(test);
	ld = sh_attach(test);
	tb_init(test, &f->tb[0], 39);
	tb_map(test, &f->tb[0], 0x100000, virt_to_phys(a), 3, 0);
	KUNIT_ASSERT_EQ(test, sh_configure(test, TRUE), STATUS_SUCCESS);

	tb_map(test, &f->tb[0], 0x100000, virt_to_phys(b), 3, 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x100000), virt_to_phys(a));
	KUNIT_ASSERT_EQ(test, f->fx.v2->FlushDomainByVaList(f->fx.dom, TRUE, 1, va),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x100000), virt_to_phys(b));

	tb_map(test, &f->tb[0], 0x105000, virt_to_phys(c), 3, 0);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x105000), 0);
	KUNIT_ASSERT_EQ(test, f->fx.v2->FlushDomainByVaList(f->fx.dom, TRUE, 2, va),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x105000), virt_to_phys(c));
	memset(b, 0x11, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->fx.edu, 0x100000, 0x105000, PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(c, 0x11, PAGE_SIZE));

	tb_put(test, &f->tb[0], 0x105000, 3, 0);
	KUNIT_ASSERT_EQ(test, f->fx.v2->FlushDomain(f->fx.dom), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x105000), 0);
	memset(c, 0x99, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, winiommu_test_edu_copy(f->fx.edu, 0x100000, 0x105000, PAGE_SIZE), 0);
	KUNIT_EXPECT_FALSE(test, memchr_inv(c, 0x99, PAGE_SIZE));
}

/* TranslationEnabled FALSE: every access blocked; TRUE again: back. */
static void shadow_disabled_test(struct kunit *test)
{
	struct sh_fixture *f = test->priv;
	u8 *a = sh_page(test);
	struct iommu_domain *ld;

	sh_domain(test);
	ld = sh_attach(test);
	tb_init(test, &f->tb[0], 39);
	tb_map(test, &f->tb[0], 0x100000, virt_to_phys(a), 3, 0);
	KUNIT_ASSERT_EQ(test, sh_configure(test, FALSE), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x100000), 0);
	KUNIT_ASSERT_EQ(test, sh_configure(test, TRUE), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x100000), virt_to_phys(a));
	KUNIT_ASSERT_EQ(test, sh_configure(test, FALSE), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, iommu_iova_to_phys(ld, 0x100000), 0);
}

static struct kunit_case sh_cases[] = {
	KUNIT_CASE(shadow_page_dma_test),
	KUNIT_CASE(shadow_block_replay_test),
	KUNIT_CASE(shadow_ttbr1_test),
	KUNIT_CASE(shadow_malformed_test),
	KUNIT_CASE(shadow_walk_bound_test),
	KUNIT_CASE(shadow_flush_test),
	KUNIT_CASE(shadow_disabled_test),
	{}
};

struct kunit_suite winiommu_shadow_suite = {
	.name = "winiommu_shadow",
	.init = sh_init,
	.exit = sh_exit,
	.test_cases = sh_cases,
};
