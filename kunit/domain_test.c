// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Domains: CreateDomainEx (V2/V3 tables), CreateDomain (V1 tables) and
 * DeleteDomain, called through the tables the getters hand out.
 *
 * One table row per documented status of CreateDomainEx; a refused call
 * must leave DomainOut holding its canary and create nothing.  The fixture
 * remembers every domain a case creates, deletes what an aborted case
 * left, and checks that the live-domain and Unmanaged-budget counters are
 * back where they were.  Creation needs an IOMMU: when the machine has
 * none (CreateDomainEx says STATUS_NOT_SUPPORTED for a plain Translate
 * domain), the cases that need a domain are skipped, the argument checks
 * still run.
 */
#include <linux/slab.h>

#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#endif

#include "winiommu_test.h"
#include "edu.h"

/* Most domains one case holds at a time. */
#define DOMAIN_MAX_LIVE		16

struct domain_fixture {
	struct winiommu_test_snap snap;
	DMA_IOMMU_INTERFACE_EX v1;	/* IoGetIommuInterfaceEx(1) */
	DMA_IOMMU_INTERFACE_EX v2;	/* IoGetIommuInterfaceEx(2) */
	DMA_IOMMU_INTERFACE_EX v3;	/* IoGetIommuInterfaceEx(3) */
	DMA_IOMMU_INTERFACE legacy;	/* IoGetIommuInterface(1) */
	PIOMMU_DMA_DOMAIN live[DOMAIN_MAX_LIVE];
	unsigned int nr_live;
};

/* What CreateDomainEx(Translate) said in suite_init. */
static NTSTATUS domain_probe;

static int domain_suite_init(struct kunit_suite *suite)
{
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	PIOMMU_DMA_DOMAIN dom = NULL;
	DMA_IOMMU_INTERFACE_EX ex;
	NTSTATUS st;

	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &ex);
	if (!NT_SUCCESS(st))
		return -ENODEV;
	domain_probe = ex.V2.CreateDomainEx(DomainTypeTranslate, flags, NULL, NULL, &dom);
	if (NT_SUCCESS(domain_probe))
		ex.V2.DeleteDomain(dom);
	else
		pr_info("winiommu_test: CreateDomainEx(Translate) = %#x: domain cases skipped\n",
			(u32)domain_probe);
	return 0;
}

/* Cases that need a domain to exist stop here on a machine without IOMMU. */
static void domain_need_iommu(struct kunit *test)
{
	if (domain_probe == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "no IOMMU: CreateDomainEx(Translate) is STATUS_NOT_SUPPORTED");
}

static int domain_init(struct kunit *test)
{
	struct domain_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	NTSTATUS st;

	if (!f)
		return -ENOMEM;
	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_1, 0, &f->v1);
	if (st == STATUS_SUCCESS)
		st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &f->v2);
	if (st == STATUS_SUCCESS)
		st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, &f->v3);
	if (st == STATUS_SUCCESS)
		st = IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, &f->legacy);
	if (st != STATUS_SUCCESS)
		return -ENODEV;
	winiommu_test_snap_take(&f->snap);
	test->priv = f;
	return 0;
}

/* Remember a domain the case now holds. */
static void domain_track(struct kunit *test, PIOMMU_DMA_DOMAIN dom)
{
	struct domain_fixture *f = test->priv;

	KUNIT_ASSERT_LT_MSG(test, f->nr_live, DOMAIN_MAX_LIVE, "too many live domains");
	f->live[f->nr_live++] = dom;
}

static void domain_untrack(struct domain_fixture *f, PIOMMU_DMA_DOMAIN dom)
{
	unsigned int i;

	for (i = 0; i < f->nr_live; i++) {
		if (f->live[i] == dom) {
			f->live[i] = f->live[--f->nr_live];
			return;
		}
	}
}

static void domain_exit(struct kunit *test)
{
	struct domain_fixture *f = test->priv;
	unsigned int left = f->nr_live;
	NTSTATUS st;

	/* restore the parameters before deleting, then the counters */
	winiommu_params = f->snap.params;
	while (f->nr_live) {
		PIOMMU_DMA_DOMAIN dom = f->live[--f->nr_live];

		st = f->v2.V2.DeleteDomain(dom);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS, "deleting left-over domain %p", dom);
	}
	KUNIT_EXPECT_EQ_MSG(test, left, 0, "the case left %u domain(s) live", left);
	winiommu_test_snap_check(test, &f->snap);
}

/* CreateDomainEx through the V2 table; a created domain is tracked. */
static NTSTATUS domain_create_ex(struct kunit *test, u32 type, u64 flags,
				 PIOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG cfg,
				 PIOMMU_DMA_RESERVED_REGION resv, PIOMMU_DMA_DOMAIN *out)
{
	struct domain_fixture *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS fl = { .AsUlonglong = flags };
	NTSTATUS st;

	st = f->v2.V2.CreateDomainEx((IOMMU_DMA_DOMAIN_TYPE)type, fl, cfg, resv, out);
	if (st == STATUS_SUCCESS && out)
		domain_track(test, *out);
	return st;
}

/* CreateDomain through the V1 table from IoGetIommuInterfaceEx(1). */
static NTSTATUS domain_create_v1(struct kunit *test, bool os_managed, PIOMMU_DMA_DOMAIN *out)
{
	struct domain_fixture *f = test->priv;
	NTSTATUS st;

	st = f->v1.V1.CreateDomain(os_managed, out);
	if (st == STATUS_SUCCESS && out)
		domain_track(test, *out);
	return st;
}

/* DeleteDomain through @del; a deleted domain is no longer tracked. */
static NTSTATUS domain_delete_with(struct kunit *test, PIOMMU_DOMAIN_DELETE del,
				   PIOMMU_DMA_DOMAIN dom)
{
	NTSTATUS st = del(dom);

	if (st == STATUS_SUCCESS)
		domain_untrack(test->priv, dom);
	return st;
}

static NTSTATUS domain_delete(struct kunit *test, PIOMMU_DMA_DOMAIN dom)
{
	struct domain_fixture *f = test->priv;

	return domain_delete_with(test, f->v2.V2.DeleteDomain, dom);
}

/* ---- CreateDomainEx: one row per documented outcome -------------------- */

struct domain_resv_desc {
	u64 base;
	u64 pages;
	bool map;
};

struct domain_create_case {
	const char *name;
	u32 type;
	u64 flags;
	bool has_cfg;
	u32 alloc_type;
	u32 width;
	unsigned int nr_resv;
	struct domain_resv_desc resv[3];
	bool null_out;
	NTSTATUS expect;
};

#define T_TRANSLATE	DomainTypeTranslate
#define T_PASSTHROUGH	DomainTypePassThrough
#define T_UNMANAGED	DomainTypeUnmanaged
#define T_S1		DomainTypeTranslateS1
#define A_NONE		IommuDmaLogicalAllocatorNone
#define A_BUDDY		IommuDmaLogicalAllocatorBuddy
#define A_MAX		IommuDmaLogicalAllocatorMax
#define TOP_PAGE	0xfffffffffffff000ULL

static const struct domain_create_case domain_create_cases[] = {
	/* success: every type */
	{ .name = "Translate", .type = T_TRANSLATE },
	{ .name = "PassThrough", .type = T_PASSTHROUGH },
	{ .name = "Unmanaged", .type = T_UNMANAGED },
	{ .name = "TranslateS1", .type = T_S1 },
	/* success: allocator None is no allocator, on any type */
	{ .name = "Translate allocator None", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_NONE },
	{ .name = "PassThrough allocator None", .type = T_PASSTHROUGH, .has_cfg = true,
	  .alloc_type = A_NONE, .width = 99 },
	{ .name = "Unmanaged allocator None", .type = T_UNMANAGED, .has_cfg = true,
	  .alloc_type = A_NONE },
	/* success: Buddy widths */
	{ .name = "Buddy width 1", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 1 },
	{ .name = "Buddy width 12", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 12 },
	{ .name = "Buddy width 32", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 32 },
	{ .name = "Buddy width 48", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 48 },
	{ .name = "Buddy width 63", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 63 },
	{ .name = "TranslateS1 Buddy width 48", .type = T_S1, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 48 },
	/* success: reserved regions */
	/* three valid regions, mapped and unmapped */
	{ .name = "3 regions", .type = T_TRANSLATE, .nr_resv = 3,
	  .resv = { { 0x1000, 1, true }, { 0x100000, 16, false }, { 0xfee00000, 256, true } } },
	{ .name = "3 regions Buddy width 32", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 32, .nr_resv = 3,
	  .resv = { { 0x1000, 1, true }, { 0x100000, 16, false }, { 0xfee00000, 256, true } } },
	{ .name = "TranslateS1 3 regions", .type = T_S1, .nr_resv = 3,
	  .resv = { { 0x1000, 1, true }, { 0x100000, 16, false }, { 0xfee00000, 256, true } } },
	{ .name = "adjacent regions", .type = T_TRANSLATE, .nr_resv = 2,
	  .resv = { { 0x10000, 1, true }, { 0x11000, 1, false } } },
	{ .name = "region at 0", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 32, .nr_resv = 1, .resv = { { 0, 1, false } } },
	{ .name = "region ending at 2^AddressWidth", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 20, .nr_resv = 1,
	  .resv = { { 0xff000, 1, false } } },
	{ .name = "region above 4 GiB, no allocator", .type = T_TRANSLATE, .nr_resv = 1,
	  .resv = { { 0x100000000ULL, 4, false } } },
	{ .name = "region ending at 2^64", .type = T_TRANSLATE, .nr_resv = 1,
	  .resv = { { TOP_PAGE, 1, false } } },

	/* _1: DomainType */
	{ .name = "DomainTypeMax", .type = DomainTypeMax, .expect = STATUS_INVALID_PARAMETER_1 },
	{ .name = "DomainType 99", .type = 99, .expect = STATUS_INVALID_PARAMETER_1 },
	{ .name = "DomainType 0xffffffff", .type = 0xffffffff,
	  .expect = STATUS_INVALID_PARAMETER_1 },
	/* _2: Flags */
	{ .name = "Flags 1", .type = T_TRANSLATE, .flags = 1,
	  .expect = STATUS_INVALID_PARAMETER_2 },
	{ .name = "Flags bit 63", .type = T_UNMANAGED, .flags = BIT_ULL(63),
	  .expect = STATUS_INVALID_PARAMETER_2 },
	/* _3: LogicalAllocatorConfig */
	{ .name = "allocator type Max", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_MAX, .width = 32, .expect = STATUS_INVALID_PARAMETER_3 },
	{ .name = "allocator type 0x80000000", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = 0x80000000, .width = 32, .expect = STATUS_INVALID_PARAMETER_3 },
	{ .name = "Buddy width 0", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 0, .expect = STATUS_INVALID_PARAMETER_3 },
	{ .name = "Buddy width 64", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 64, .expect = STATUS_INVALID_PARAMETER_3 },
	{ .name = "Buddy width 0xffffffff", .type = T_S1, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 0xffffffff, .expect = STATUS_INVALID_PARAMETER_3 },
	{ .name = "Buddy on PassThrough", .type = T_PASSTHROUGH, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 32, .expect = STATUS_INVALID_PARAMETER_3 },
	{ .name = "Buddy on Unmanaged", .type = T_UNMANAGED, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 32, .expect = STATUS_INVALID_PARAMETER_3 },
	/* _4: ReservedRegions */
	{ .name = "region Base unaligned", .type = T_TRANSLATE, .nr_resv = 1,
	  .resv = { { 0x1800, 1, true } }, .expect = STATUS_INVALID_PARAMETER_4 },
	{ .name = "region of 0 pages", .type = T_TRANSLATE, .nr_resv = 1,
	  .resv = { { 0x1000, 0, false } }, .expect = STATUS_INVALID_PARAMETER_4 },
	{ .name = "regions overlapping", .type = T_TRANSLATE, .nr_resv = 2,
	  .resv = { { 0x10000, 4, true }, { 0x12000, 1, false } },
	  .expect = STATUS_INVALID_PARAMETER_4 },
	{ .name = "third region overlaps first", .type = T_TRANSLATE, .nr_resv = 3,
	  .resv = { { 0x10000, 1, false }, { 0x20000, 1, false }, { 0xf000, 2, true } },
	  .expect = STATUS_INVALID_PARAMETER_4 },
	{ .name = "bad region after good ones", .type = T_TRANSLATE, .nr_resv = 3,
	  .resv = { { 0x10000, 1, false }, { 0x20000, 1, false }, { 0x30000, 0, true } },
	  .expect = STATUS_INVALID_PARAMETER_4 },
	{ .name = "region past 2^AddressWidth", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 20, .nr_resv = 1,
	  .resv = { { 0xff000, 2, false } }, .expect = STATUS_INVALID_PARAMETER_4 },
	{ .name = "region wrapping past 2^64", .type = T_TRANSLATE, .nr_resv = 1,
	  .resv = { { TOP_PAGE, 2, false } }, .expect = STATUS_INVALID_PARAMETER_4 },
	{ .name = "region of 2^64 pages", .type = T_TRANSLATE, .nr_resv = 1,
	  .resv = { { 0x1000, U64_MAX, false } }, .expect = STATUS_INVALID_PARAMETER_4 },
	{ .name = "region on PassThrough", .type = T_PASSTHROUGH, .nr_resv = 1,
	  .resv = { { 0x1000, 1, true } }, .expect = STATUS_INVALID_PARAMETER_4 },
	{ .name = "region on Unmanaged", .type = T_UNMANAGED, .nr_resv = 1,
	  .resv = { { 0x1000, 1, false } }, .expect = STATUS_INVALID_PARAMETER_4 },
	/* _5: DomainOut */
	{ .name = "DomainOut NULL", .type = T_TRANSLATE, .null_out = true,
	  .expect = STATUS_INVALID_PARAMETER_5 },
	{ .name = "Unmanaged DomainOut NULL", .type = T_UNMANAGED, .null_out = true,
	  .expect = STATUS_INVALID_PARAMETER_5 },
	/* several bad arguments: the lowest position is reported */
	{ .name = "bad type and DomainOut NULL", .type = DomainTypeMax, .null_out = true,
	  .expect = STATUS_INVALID_PARAMETER_1 },
	{ .name = "bad Flags and bad allocator", .type = T_TRANSLATE, .flags = 2,
	  .has_cfg = true, .alloc_type = A_MAX, .expect = STATUS_INVALID_PARAMETER_2 },
	{ .name = "bad allocator and bad region", .type = T_TRANSLATE, .has_cfg = true,
	  .alloc_type = A_BUDDY, .width = 64, .nr_resv = 1, .resv = { { 0x1800, 1, true } },
	  .expect = STATUS_INVALID_PARAMETER_3 },
	{ .name = "bad region and DomainOut NULL", .type = T_TRANSLATE, .nr_resv = 1,
	  .resv = { { 0x1000, 0, true } }, .null_out = true,
	  .expect = STATUS_INVALID_PARAMETER_4 },
};

KUNIT_ARRAY_PARAM_DESC(domain_create, domain_create_cases, name);

static void domain_create_ex_test(struct kunit *test)
{
	const struct domain_create_case *c = test->param_value;
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG cfg, cfg_copy;
	IOMMU_DMA_RESERVED_REGION resv[3], resv_copy[3];
	PIOMMU_DMA_DOMAIN out = WINIOMMU_TEST_BAD_DOMAIN;
	unsigned long domains = winiommu_obj_count(WINIOMMU_OBJ_DOMAIN);
	unsigned int unmanaged = winiommu_unmanaged_count();
	unsigned int i;
	NTSTATUS st;

	if (c->expect == STATUS_SUCCESS)
		domain_need_iommu(test);

	memset(&cfg, 0, sizeof(cfg));
	cfg.LogicalAllocatorType = c->alloc_type;
	cfg.BuddyAllocatorConfig.AddressWidth = c->width;
	memset(resv, 0, sizeof(resv));
	for (i = 0; i < c->nr_resv; i++) {
		resv[i].RegionNext = i + 1 < c->nr_resv ? &resv[i + 1] : NULL;
		resv[i].Base = c->resv[i].base;
		resv[i].NumberOfPages = c->resv[i].pages;
		resv[i].ShouldMap = c->resv[i].map;
	}
	cfg_copy = cfg;
	memcpy(resv_copy, resv, sizeof(resv));

	st = domain_create_ex(test, c->type, c->flags, c->has_cfg ? &cfg : NULL,
			      c->nr_resv ? resv : NULL, c->null_out ? NULL : &out);
	KUNIT_EXPECT_EQ(test, st, c->expect);
	/* inputs are read, never written */
	KUNIT_EXPECT_MEMEQ(test, &cfg, &cfg_copy, sizeof(cfg));
	KUNIT_EXPECT_MEMEQ(test, resv, resv_copy, sizeof(resv));

	if (st != STATUS_SUCCESS) {
		KUNIT_EXPECT_PTR_EQ(test, out, WINIOMMU_TEST_BAD_DOMAIN);
		KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DOMAIN), domains);
		KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(), unmanaged);
		return;
	}
	KUNIT_EXPECT_NOT_NULL(test, out);
	KUNIT_EXPECT_PTR_NE(test, out, WINIOMMU_TEST_BAD_DOMAIN);
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DOMAIN), domains + 1);
	KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(),
			unmanaged + (c->type == DomainTypeUnmanaged));
	st = domain_delete(test, out);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DOMAIN), domains);
	KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(), unmanaged);
}

/* The V3 table carries the same CreateDomainEx and DeleteDomain. */
static void domain_v3_table_test(struct kunit *test)
{
	struct domain_fixture *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	PIOMMU_DMA_DOMAIN a = WINIOMMU_TEST_BAD_DOMAIN, b = WINIOMMU_TEST_BAD_DOMAIN;
	NTSTATUS st;

	domain_need_iommu(test);
	st = f->v3.V3.CreateDomainEx(DomainTypeTranslateS1, flags, NULL, NULL, &a);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	domain_track(test, a);
	st = domain_create_ex(test, DomainTypeTranslate, 0, NULL, NULL, &b);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_PTR_NE(test, a, b);
	st = domain_delete_with(test, f->v3.V3.DeleteDomain, b);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	st = domain_delete(test, a);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
}

/* ---- policy and budget ------------------------------------------------- */

/*
 * The Unmanaged-domain budget: with room for two more, the third is
 * STATUS_INSUFFICIENT_RESOURCES and changes nothing; deleting one makes
 * room again.  Other types do not count.
 */
static void domain_unmanaged_budget_test(struct kunit *test)
{
	struct domain_fixture *f = test->priv;
	PIOMMU_DMA_DOMAIN a, b, c, other, out = WINIOMMU_TEST_BAD_DOMAIN;
	unsigned int base = winiommu_unmanaged_count();
	NTSTATUS st;

	domain_need_iommu(test);
	WRITE_ONCE(winiommu_params.max_unmanaged_domains, base + 2);
	st = domain_create_ex(test, DomainTypeUnmanaged, 0, NULL, NULL, &a);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = domain_create_ex(test, DomainTypeUnmanaged, 0, NULL, NULL, &b);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(), base + 2);

	st = domain_create_ex(test, DomainTypeUnmanaged, 0, NULL, NULL, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_PTR_EQ(test, out, WINIOMMU_TEST_BAD_DOMAIN);
	KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(), base + 2);
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DOMAIN), f->snap.domains + 2);

	/* the budget is for Unmanaged domains only */
	st = domain_create_ex(test, DomainTypeTranslate, 0, NULL, NULL, &other);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = domain_delete(test, other);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);

	/* one back makes room for one */
	st = domain_delete(test, a);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(), base + 1);
	st = domain_create_ex(test, DomainTypeUnmanaged, 0, NULL, NULL, &c);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);

	st = domain_delete(test, b);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	st = domain_delete(test, c);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(), base);
	WRITE_ONCE(winiommu_params.max_unmanaged_domains, f->snap.params.max_unmanaged_domains);
}

/* A V1 caller-managed domain spends the same budget. */
static void domain_v1_budget_test(struct kunit *test)
{
	PIOMMU_DMA_DOMAIN v1dom, out = WINIOMMU_TEST_BAD_DOMAIN;
	unsigned int base = winiommu_unmanaged_count();
	NTSTATUS st;

	domain_need_iommu(test);
	WRITE_ONCE(winiommu_params.max_unmanaged_domains, base + 1);
	st = domain_create_v1(test, false, &v1dom);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(), base + 1);

	st = domain_create_ex(test, DomainTypeUnmanaged, 0, NULL, NULL, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_PTR_EQ(test, out, WINIOMMU_TEST_BAD_DOMAIN);
	st = domain_create_v1(test, false, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_INSUFFICIENT_RESOURCES);
	KUNIT_EXPECT_PTR_EQ(test, out, WINIOMMU_TEST_BAD_DOMAIN);
	/* an OS-managed V1 domain is not Unmanaged */
	st = domain_create_v1(test, true, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	if (st == STATUS_SUCCESS)
		domain_delete(test, out);

	st = domain_delete(test, v1dom);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(), base);
	st = domain_create_ex(test, DomainTypeUnmanaged, 0, NULL, NULL, &out);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = domain_delete(test, out);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
}

/*
 * The machine decides: with an IOMMU every type can be created, without
 * one every type is STATUS_NOT_SUPPORTED (V1 as V2), output untouched.
 */
static void domain_machine_iommu_test(struct kunit *test)
{
	static const IOMMU_DMA_DOMAIN_TYPE types[] = {
		DomainTypeTranslate, DomainTypePassThrough, DomainTypeUnmanaged,
		DomainTypeTranslateS1,
	};
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	NTSTATUS want, st;
	DMA_IOMMU_INTERFACE v1;
	DMA_IOMMU_INTERFACE_EX ex;
	PIOMMU_DMA_DOMAIN dom;
	unsigned int i;

	if (winiommu_test_iommu_expected < 0)
		kunit_skip(test, "the guest's IOMMU is unknown (iommu_expected not given)");
	want = winiommu_test_iommu_expected ? STATUS_SUCCESS : STATUS_NOT_SUPPORTED;
	KUNIT_ASSERT_EQ(test, IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, &ex),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, &v1),
			STATUS_SUCCESS);
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		dom = WINIOMMU_TEST_BAD_DOMAIN;
		st = ex.V3.CreateDomainEx(types[i], flags, NULL, NULL, &dom);
		KUNIT_EXPECT_EQ_MSG(test, st, want, "DomainType %u", types[i]);
		if (NT_SUCCESS(st))
			KUNIT_EXPECT_EQ(test, ex.V3.DeleteDomain(dom), STATUS_SUCCESS);
		else
			KUNIT_EXPECT_PTR_EQ(test, dom, WINIOMMU_TEST_BAD_DOMAIN);
	}
	dom = WINIOMMU_TEST_BAD_DOMAIN;
	st = v1.CreateDomain(TRUE, &dom);
	KUNIT_EXPECT_EQ(test, st, want);
	if (NT_SUCCESS(st))
		KUNIT_EXPECT_EQ(test, v1.DeleteDomain(dom), STATUS_SUCCESS);
}

/* allow_passthrough=0: PassThrough is STATUS_NOT_SUPPORTED, after the _n checks. */
static void domain_passthrough_policy_test(struct kunit *test)
{
	PIOMMU_DMA_DOMAIN out = WINIOMMU_TEST_BAD_DOMAIN, dom;
	NTSTATUS st;

	WRITE_ONCE(winiommu_params.allow_passthrough, false);
	st = domain_create_ex(test, DomainTypePassThrough, 0, NULL, NULL, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_PTR_EQ(test, out, WINIOMMU_TEST_BAD_DOMAIN);
	/* argument errors still win */
	st = domain_create_ex(test, DomainTypePassThrough, 1, NULL, NULL, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_2);
	st = domain_create_ex(test, DomainTypePassThrough, 0, NULL, NULL, NULL);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_5);
	KUNIT_EXPECT_PTR_EQ(test, out, WINIOMMU_TEST_BAD_DOMAIN);

	if (domain_probe != STATUS_NOT_SUPPORTED) {
		/* other types are unaffected */
		st = domain_create_ex(test, DomainTypeTranslate, 0, NULL, NULL, &dom);
		KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
		if (st == STATUS_SUCCESS)
			domain_delete(test, dom);
	}

	WRITE_ONCE(winiommu_params.allow_passthrough,
		   ((struct domain_fixture *)test->priv)->snap.params.allow_passthrough);
	if (domain_probe != STATUS_NOT_SUPPORTED) {
		st = domain_create_ex(test, DomainTypePassThrough, 0, NULL, NULL, &dom);
		KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
		if (st == STATUS_SUCCESS)
			domain_delete(test, dom);
	}
}

/*
 * refuse_x86_guest=1 restores the Windows rule: an x86 guest cannot create
 * domains (of any type, by either creation routine).
 */
static void domain_x86_guest_policy_test(struct kunit *test)
{
	PIOMMU_DMA_DOMAIN out = WINIOMMU_TEST_BAD_DOMAIN;
	NTSTATUS st;

	domain_need_iommu(test);
#ifdef CONFIG_X86
	if (!boot_cpu_has(X86_FEATURE_HYPERVISOR))
		kunit_skip(test, "not a guest: refuse_x86_guest has nothing to refuse");
#else
	kunit_skip(test, "refuse_x86_guest applies to x86 guests only");
#endif
	WRITE_ONCE(winiommu_params.refuse_x86_guest, true);
	st = domain_create_ex(test, DomainTypeTranslate, 0, NULL, NULL, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_NOT_SUPPORTED);
	st = domain_create_ex(test, DomainTypeUnmanaged, 0, NULL, NULL, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_NOT_SUPPORTED);
	st = domain_create_v1(test, true, &out);
	KUNIT_EXPECT_EQ(test, st, STATUS_NOT_SUPPORTED);
	KUNIT_EXPECT_PTR_EQ(test, out, WINIOMMU_TEST_BAD_DOMAIN);
	/* nothing was spent on the refused Unmanaged request */
	KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(),
			((struct domain_fixture *)test->priv)->snap.unmanaged);
}

/* ---- CreateDomain (V1) -------------------------------------------------- */

/* OS-managed (TRUE) and caller-managed (FALSE), through both V1 tables. */
static void domain_create_v1_test(struct kunit *test)
{
	struct domain_fixture *f = test->priv;
	PIOMMU_DOMAIN_CREATE creates[] = { f->v1.V1.CreateDomain, f->legacy.CreateDomain };
	PIOMMU_DOMAIN_DELETE deletes[] = { f->v1.V1.DeleteDomain, f->legacy.DeleteDomain };
	unsigned long domains = winiommu_obj_count(WINIOMMU_OBJ_DOMAIN);
	unsigned int unmanaged = winiommu_unmanaged_count();
	PIOMMU_DMA_DOMAIN out;
	unsigned int t, m;
	NTSTATUS st;

	domain_need_iommu(test);
	for (t = 0; t < ARRAY_SIZE(creates); t++) {
		for (m = 0; m < 2; m++) {
			bool os_managed = m == 0;

			out = WINIOMMU_TEST_BAD_DOMAIN;
			st = creates[t](os_managed, &out);
			KUNIT_ASSERT_EQ_MSG(test, st, STATUS_SUCCESS, "table %u, OsManaged %d",
					    t, os_managed);
			domain_track(test, out);
			KUNIT_EXPECT_NOT_NULL(test, out);
			KUNIT_EXPECT_PTR_NE(test, out, WINIOMMU_TEST_BAD_DOMAIN);
			KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DOMAIN),
					domains + 1);
			KUNIT_EXPECT_EQ(test, winiommu_unmanaged_count(),
					unmanaged + !os_managed);
			st = domain_delete_with(test, deletes[t], out);
			KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
		}
	}
}

static void domain_create_v1_null_test(struct kunit *test)
{
	struct domain_fixture *f = test->priv;
	NTSTATUS st;

	st = domain_create_v1(test, true, NULL);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_2);
	st = domain_create_v1(test, false, NULL);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_2);
	st = f->legacy.CreateDomain(true, NULL);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_2);
}

/* ---- DeleteDomain ------------------------------------------------------- */

/* NULL, a stack address, heap memory, the inside of a live domain: _1. */
static void domain_delete_invalid_test(struct kunit *test)
{
	struct domain_fixture *f = test->priv;
	PIOMMU_DOMAIN_DELETE deletes[] = {
		f->v1.V1.DeleteDomain, f->v2.V2.DeleteDomain,
		f->v3.V3.DeleteDomain, f->legacy.DeleteDomain,
	};
	PIOMMU_DMA_DOMAIN dom = NULL;
	u64 on_stack = 0;
	void *heap;
	unsigned int i;
	NTSTATUS st;

	heap = kunit_kzalloc(test, 256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, heap);
	if (domain_probe != STATUS_NOT_SUPPORTED) {
		st = domain_create_ex(test, DomainTypeTranslate, 0, NULL, NULL, &dom);
		KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	}
	for (i = 0; i < ARRAY_SIZE(deletes); i++) {
		st = deletes[i](NULL);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INVALID_PARAMETER_1, "NULL, table %u", i);
		st = deletes[i]((PIOMMU_DMA_DOMAIN)&on_stack);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INVALID_PARAMETER_1, "stack, table %u", i);
		st = deletes[i]((PIOMMU_DMA_DOMAIN)heap);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INVALID_PARAMETER_1, "heap, table %u", i);
		st = deletes[i](WINIOMMU_TEST_BAD_DOMAIN);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INVALID_PARAMETER_1, "bogus, table %u", i);
		if (dom) {
			st = deletes[i]((PIOMMU_DMA_DOMAIN)((u8 *)dom + 8));
			KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INVALID_PARAMETER_1,
					    "inside a domain, table %u", i);
		}
	}
	KUNIT_EXPECT_EQ(test, on_stack, 0);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(heap, 0, 256));
	if (dom) {
		/* the live domain survived all of that */
		st = domain_delete(test, dom);
		KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	}
}

/* A deleted handle is stale: every later delete is _1. */
static void domain_delete_twice_test(struct kunit *test)
{
	struct domain_fixture *f = test->priv;
	PIOMMU_DMA_DOMAIN dom, v1dom;
	unsigned long domains;
	NTSTATUS st;

	domain_need_iommu(test);
	st = domain_create_ex(test, DomainTypeUnmanaged, 0, NULL, NULL, &dom);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = domain_create_v1(test, true, &v1dom);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = domain_delete(test, dom);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = domain_delete_with(test, f->v1.V1.DeleteDomain, v1dom);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);

	domains = winiommu_obj_count(WINIOMMU_OBJ_DOMAIN);
	st = f->v2.V2.DeleteDomain(dom);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_1);
	st = f->v1.V1.DeleteDomain(dom);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_1);
	st = f->v2.V2.DeleteDomain(v1dom);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_1);
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DOMAIN), domains);
}

/* Domains from either table are deleted by DeleteDomain of any table. */
static void domain_delete_cross_table_test(struct kunit *test)
{
	struct domain_fixture *f = test->priv;
	PIOMMU_DMA_DOMAIN a, b, c;
	NTSTATUS st;

	domain_need_iommu(test);
	st = domain_create_v1(test, true, &a);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = domain_create_v1(test, false, &b);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = domain_create_ex(test, DomainTypeTranslate, 0, NULL, NULL, &c);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);

	st = domain_delete_with(test, f->v2.V2.DeleteDomain, a);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	st = domain_delete_with(test, f->v3.V3.DeleteDomain, b);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	st = domain_delete_with(test, f->legacy.DeleteDomain, c);
	KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
}

/* Many live domains: distinct handles, each deleted once, in mixed order. */
static void domain_many_test(struct kunit *test)
{
	static const u32 types[] = {
		DomainTypeTranslate, DomainTypePassThrough, DomainTypeUnmanaged,
		DomainTypeTranslateS1,
	};
	struct domain_fixture *f = test->priv;
	PIOMMU_DMA_DOMAIN dom[DOMAIN_MAX_LIVE];
	unsigned int i, j;
	NTSTATUS st;

	domain_need_iommu(test);
	for (i = 0; i < DOMAIN_MAX_LIVE; i++) {
		st = domain_create_ex(test, types[i % ARRAY_SIZE(types)], 0, NULL, NULL, &dom[i]);
		KUNIT_ASSERT_EQ_MSG(test, st, STATUS_SUCCESS, "domain %u", i);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, dom[i], dom[j]);
	}
	KUNIT_EXPECT_EQ(test, winiommu_obj_count(WINIOMMU_OBJ_DOMAIN),
			f->snap.domains + DOMAIN_MAX_LIVE);
	/* odd ones first, then even ones from the top */
	for (i = 1; i < DOMAIN_MAX_LIVE; i += 2) {
		st = domain_delete(test, dom[i]);
		KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	}
	for (i = DOMAIN_MAX_LIVE; i >= 2; i -= 2) {
		st = domain_delete(test, dom[i - 2]);
		KUNIT_EXPECT_EQ(test, st, STATUS_SUCCESS);
	}
}

static struct kunit_case domain_test_cases[] = {
	KUNIT_CASE(domain_machine_iommu_test),
	KUNIT_CASE_PARAM(domain_create_ex_test, domain_create_gen_params),
	KUNIT_CASE(domain_v3_table_test),
	KUNIT_CASE(domain_unmanaged_budget_test),
	KUNIT_CASE(domain_v1_budget_test),
	KUNIT_CASE(domain_passthrough_policy_test),
	KUNIT_CASE(domain_x86_guest_policy_test),
	KUNIT_CASE(domain_create_v1_test),
	KUNIT_CASE(domain_create_v1_null_test),
	KUNIT_CASE(domain_delete_invalid_test),
	KUNIT_CASE(domain_delete_twice_test),
	KUNIT_CASE(domain_delete_cross_table_test),
	KUNIT_CASE(domain_many_test),
	{}
};

struct kunit_suite winiommu_domain_suite = {
	.name = "winiommu_domain",
	.suite_init = domain_suite_init,
	.init = domain_init,
	.exit = domain_exit,
	.test_cases = domain_test_cases,
};
