// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The fail-nth sweep: every routine that allocates runs with the n-th
 * allocation of the calling task failing, n = 1, 2, 3, ... until a run
 * sees no injected failure.  The failure comes from the kernel's own
 * fault injection (current->fail_nth, what /proc/<pid>/fail-nth sets,
 * honoured by failslab and fail_page_alloc), so it reaches every
 * allocation on the path: winiommu's own, the iova allocator's, the
 * xarrays', kmemleak's and KASAN's bookkeeping, the mock IOMMU's page
 * table.  Every run must fail with STATUS_INSUFFICIENT_RESOURCES (or
 * succeed, where a helper retries or a failure is harmless), leave
 * winiommu's object counters, the bytes it maps and the mock IOMMU's books
 * as they were, write no output, and the same call made again without a
 * failure must work and leave a complete result: the replay of an attach
 * in place, the device's reserved regions kept out of the allocator.
 *
 * The routines run on the mock backend (mock_backend.h): the devices are
 * the suite's own, PASID-capable where needed, and the mock's books show
 * what reached the IOMMU.  The sweep needs CONFIG_FAULT_INJECTION with
 * failslab and fail_page_alloc told to fail sleeping, order-0 allocations
 * (scripts/check-debug.sh does both); elsewhere its cases are skipped.
 * One place is left out: a failed magazine allocation in
 * iova_domain_init_rcaches() (CreateDomainEx with an allocator) crashes
 * Linux 6.12, whose free_iova_rcaches() hands the NULL magazine to
 * kmem_cache_free().  scripts/check-debug.sh exempts the function with the
 * fault-injection stack filter (reject-start, reject-end); without that
 * filter in the kernel the allocator case is skipped.
 *
 * The cases after the sweeps are regressions for bugs the sweep found,
 * reproduced with the mock's own failures, and run on every kernel.
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "winiommu_test.h"
#include "backend.h"
#include "mock_backend.h"

#define FN_MAX_POINTS		4096	/* a sweep that does not end by then is a bug */
#define FN_PAGES		4	/* pages of the MDL buffer, discontiguous */
#define FN_TOKEN_SIZE		(3 * SZ_1M)	/* spans two page-table spans */
#define FN_PASIDS		16
#define FN_WIDTH		32	/* what a root device's DMA mask reaches */

/* Windows reserved regions of the sweep's domains: a hole and a ShouldMap. */
#define FN_HOLE_BASE		0x7000000ULL
#define FN_HOLE_PAGES		4
#define FN_DIRECT_BASE		0x7100000ULL
#define FN_DIRECT_PAGES		2

/* The mock devices: which instance, which reserved regions. */
enum fn_mdev {
	FN_A,		/* instance 0, a software MSI window */
	FN_B,		/* instance 1, an MSI window */
	FN_C,		/* instance 0, a direct region and a hole */
	FN_P,		/* instance 1, PASID-capable */
	FN_NR_MDEVS,
};

/**
 * struct fn_fixture - what a case builds; the exit frees what is set.
 * @snap: the leak check of every case.
 * @ex: the V3 table.
 * @t: &@ex.V3.
 * @md: the mock devices, NULL until made.
 * @dev: their DMA devices.
 * @pdev: a PASID device of @dev[FN_P].
 * @asid: its PASID.
 * @dom: the domain the routines work on.
 * @dom_pasid: a domain only the PASID device attaches to.
 * @tok: a token of @dom, with @seg mapped in it.
 * @seg: the token's mapped segment (@seg.OwningToken NULL: none).
 * @pop: the domain fn_populate() filled.
 * @map_addr: where @mdl is mapped in @pop, 0 if it is not.
 * @buf: the MDL's buffer, FN_PAGES vmalloc pages.
 * @mdl: the MDL of @buf.
 * @pa: @mdl as a physical description.
 * @pa1: its first page alone.
 * @attaching: the device the AttachDeviceEx sweep attaches.
 * @out_dom: CreateDomainEx's output, under the sweep.
 * @out_dev: CreateDevice's.
 * @out_pdev: CreatePasidDevice's PASID device.
 * @out_asid: and its PASID.
 * @out_addr: MapLogicalRangeEx's.
 * @out_tok: ReserveLogicalAddressRange's.
 * @out_seg: MapReservedLogicalRange's.
 * @out_info: QueryDeviceInfo's.
 */
struct fn_fixture {
	struct winiommu_test_snap snap;
	DMA_IOMMU_INTERFACE_EX ex;
	const DMA_IOMMU_INTERFACE_V3 *t;
	struct mock_dev *md[FN_NR_MDEVS];
	PIOMMU_DMA_DEVICE dev[FN_NR_MDEVS];
	PIOMMU_DMA_PASID_DEVICE pdev;
	ULONG asid;
	PIOMMU_DMA_DOMAIN dom;
	PIOMMU_DMA_DOMAIN dom_pasid;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	PIOMMU_DMA_DOMAIN pop;
	u64 map_addr;
	void *buf;
	PMDL mdl;
	IOMMU_MAP_PHYSICAL_ADDRESS pa;
	IOMMU_MAP_PHYSICAL_ADDRESS pa1;
	enum fn_mdev attaching;

	PIOMMU_DMA_DOMAIN out_dom;
	PIOMMU_DMA_DEVICE out_dev;
	PIOMMU_DMA_PASID_DEVICE out_pdev;
	ULONG out_asid;
	IOMMU_DMA_LOGICAL_ADDRESS out_addr;
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN out_tok;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT out_seg;
	IOMMU_DMA_DEVICE_INFORMATION out_info;
};

/* ---- fail-nth ----------------------------------------------------------------------- */

#ifdef CONFIG_FAULT_INJECTION
/* Make the @n-th allocation this task makes from now on fail. */
static void fn_arm(unsigned int n)
{
	WRITE_ONCE(current->fail_nth, n);
}

/* Disarm; true when the armed failure was injected. */
static bool fn_disarm(void)
{
	bool hit = !READ_ONCE(current->fail_nth);

	WRITE_ONCE(current->fail_nth, 0);
	return hit;
}
#else
static void fn_arm(unsigned int n)
{
}

static bool fn_disarm(void)
{
	return false;
}
#endif

/*
 * Skip unless an armed failure reaches a sleeping kmalloc() and an order-0
 * page allocation: what the routines make.
 */
static void fn_require(struct kunit *test)
{
	struct page *page;
	bool hit;
	void *p;

	if (!IS_ENABLED(CONFIG_FAULT_INJECTION) || !IS_ENABLED(CONFIG_FAILSLAB) ||
	    !IS_ENABLED(CONFIG_FAIL_PAGE_ALLOC))
		kunit_skip(test,
			   "no CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB and CONFIG_FAIL_PAGE_ALLOC in this kernel: the sweep runs in the debug KUnit kernel (make check-debug)");
	fn_arm(1);
	p = kmalloc(64, GFP_KERNEL);
	hit = fn_disarm();
	kfree(p);
	if (!hit || p)
		kunit_skip(test,
			   "failslab lets sleeping allocations through: echo N > /sys/kernel/debug/failslab/ignore-gfp-wait (scripts/check-debug.sh does)");
	fn_arm(1);
	page = alloc_page(GFP_KERNEL);
	hit = fn_disarm();
	if (page)
		__free_page(page);
	if (!hit || page)
		kunit_skip(test,
			   "fail_page_alloc lets sleeping or order-0 allocations through: set its ignore-gfp-wait to N and min-order to 0 in /sys/kernel/debug/fail_page_alloc (scripts/check-debug.sh does)");
}

/**
 * struct fn_routine - a routine under the sweep.
 * @name: for the log.
 * @call: the routine, once, with the fixture's outputs; its status.
 * @failed: after a failed run: the outputs are untouched, nothing half-built.
 * @done: after a successful run: the result is complete; then it is undone.
 * @setup: builds the state every run starts from, or NULL.
 * @keeps_resv: a failed attach may leave the device's reserved regions
 *	merged into the domain (mapped where direct), as it is designed to.
 */
struct fn_routine {
	const char *name;
	bool keeps_resv;
	s32 (*call)(struct kunit *test);	/* an NTSTATUS */
	void (*failed)(struct kunit *test);
	void (*done)(struct kunit *test);
	void (*setup)(struct kunit *test);
};

/* ---- what must not change across a failed run --------------------------------------- */

/**
 * struct fn_books - the state a failed run must leave as it found it.
 * @objs: live domains, devices, tokens and PASID devices.
 * @unmanaged: live Unmanaged domains.
 * @bytes: bytes winiommu maps now.
 * @mock: the mock's live Linux domains, DMA ownership claims, attachments,
 *	reserved-region lists, groups, PASIDs and PASID attachments held.
 * @pages: pages mapped in the mock domains the suite's devices sit in.
 * @violations: invariants of the mock broken so far.
 */
struct fn_books {
	unsigned long objs[4];
	unsigned int unmanaged;
	u64 bytes;
	int mock[7];
	unsigned long pages;
	unsigned int violations;
};

static void fn_books_take(struct kunit *test, struct fn_books *b)
{
	struct fn_fixture *f = test->priv;
	struct winiommu_mock *m = &winiommu_mock;
	unsigned int i, j;

	b->objs[0] = winiommu_obj_count(WINIOMMU_OBJ_DOMAIN);
	b->objs[1] = winiommu_obj_count(WINIOMMU_OBJ_DEVICE);
	b->objs[2] = winiommu_obj_count(WINIOMMU_OBJ_TOKEN);
	b->objs[3] = winiommu_obj_count(WINIOMMU_OBJ_PASID_DEVICE);
	b->unmanaged = winiommu_unmanaged_count();
	winiommu_stat_read(WINIOMMU_R_MAP_LOGICAL_RANGE_EX, NULL, NULL, &b->bytes);
	b->mock[0] = m->live_domains;
	b->mock[1] = m->claims - m->releases;
	b->mock[2] = m->attaches - m->detaches;
	b->mock[3] = m->resv_gets - m->resv_puts;
	b->mock[4] = m->group_gets - m->group_puts;
	b->mock[5] = m->pasid_allocs - m->pasid_frees;
	b->mock[6] = m->pasid_attaches - m->pasid_detaches;
	b->pages = 0;
	for (i = 0; i < FN_NR_MDEVS; i++) {
		struct mock_dev *md = f->md[i];

		if (!md)
			continue;
		if (md->attached)
			b->pages += md->attached->pages;
		for (j = 0; j < MOCK_MAX_PASIDS; j++)
			if (md->pasid_dom[j] && md->pasid_dom[j] != md->attached)
				b->pages += md->pasid_dom[j]->pages;
	}
	b->violations = m->violations;
}

static void fn_books_expect(struct kunit *test, const struct fn_books *was,
			    const struct fn_routine *r, unsigned int n)
{
	const char *name = r->name;
	static const char *const objs[] = { "domains", "devices", "tokens", "PASID devices" };
	static const char *const mock[] = {
		"Linux domains", "DMA ownership claims", "attachments", "reserved-region lists",
		"group references", "PASIDs", "PASID attachments",
	};
	struct fn_books now;
	unsigned int i;

	fn_books_take(test, &now);
	for (i = 0; i < ARRAY_SIZE(objs); i++)
		KUNIT_EXPECT_EQ_MSG(test, now.objs[i], was->objs[i],
				    "%s, allocation %u failed: live %s changed", name, n, objs[i]);
	KUNIT_EXPECT_EQ_MSG(test, now.unmanaged, was->unmanaged,
			    "%s, allocation %u failed: Unmanaged budget changed", name, n);
	KUNIT_EXPECT_EQ_MSG(test, now.bytes, was->bytes,
			    "%s, allocation %u failed: bytes mapped changed", name, n);
	for (i = 0; i < ARRAY_SIZE(mock); i++)
		KUNIT_EXPECT_EQ_MSG(test, now.mock[i], was->mock[i],
				    "%s, allocation %u failed: the mock's %s changed", name, n,
				    mock[i]);
	if (!r->keeps_resv)
		KUNIT_EXPECT_EQ_MSG(test, now.pages, was->pages,
				    "%s, allocation %u failed: IOMMU pages mapped changed", name,
				    n);
	KUNIT_EXPECT_EQ_MSG(test, now.violations, was->violations,
			    "%s, allocation %u failed: %s", name, n, winiommu_mock.why);
}

/* ---- the sweep ---------------------------------------------------------------------- */

/* Returns the number of fail points the routine has. */
static unsigned int fn_sweep(struct kunit *test, const struct fn_routine *r)
{
	unsigned int n, failed = 0, recovered = 0;
	struct fn_books was;
	NTSTATUS st;
	bool hit;

	for (n = 1; n <= FN_MAX_POINTS; n++) {
		if (r->setup)
			r->setup(test);
		fn_books_take(test, &was);
		fn_arm(n);
		st = r->call(test);
		hit = fn_disarm();
		if (!hit) {
			KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS, "%s with no failure",
					    r->name);
			if (NT_SUCCESS(st))
				r->done(test);
			break;
		}
		if (NT_SUCCESS(st)) {
			recovered++;
			r->done(test);
		} else {
			failed++;
			KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INSUFFICIENT_RESOURCES,
					    "%s, allocation %u failed", r->name, n);
			fn_books_expect(test, &was, r, n);
			if (r->failed)
				r->failed(test);
			/* the same call, unharmed, works and is complete */
			st = r->call(test);
			KUNIT_EXPECT_EQ_MSG(test, st, STATUS_SUCCESS,
					    "%s again after allocation %u failed", r->name, n);
			if (NT_SUCCESS(st))
				r->done(test);
		}
		if (test->status == KUNIT_FAILURE)
			break;		/* one report, not thousands */
	}
	KUNIT_EXPECT_LE_MSG(test, n, FN_MAX_POINTS, "%s: the sweep does not end", r->name);
	kunit_info(test, "fail-nth: %s: %u fail points swept, %u failed cleanly, %u recovered\n",
		   r->name, n - 1, failed, recovered);
	return n - 1;
}

/* ---- fixture ------------------------------------------------------------------------ */

static int fn_init(struct kunit *test)
{
	struct fn_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	return winiommu_mock_case_init(test, f, &f->ex, &f->t, &f->snap);
}

static void fn_exit(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	struct winiommu_mock *m = &winiommu_mock;
	unsigned int i;

	memset(m->fail, 0, sizeof(m->fail));
	fn_disarm();
	if (f->pdev) {
		f->t->DetachPasidDevice(f->pdev);
		KUNIT_EXPECT_EQ(test, f->t->DeletePasidDevice(f->pdev), STATUS_SUCCESS);
	}
	if (f->seg.OwningToken)
		KUNIT_EXPECT_EQ(test, f->t->UnmapReservedLogicalRange(&f->seg), STATUS_SUCCESS);
	if (f->tok)
		KUNIT_EXPECT_EQ(test, f->t->FreeReservedLogicalAddressRange(f->tok),
				STATUS_SUCCESS);
	if (f->map_addr)
		KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(f->pop, f->map_addr, FN_PAGES),
				STATUS_SUCCESS);
	for (i = 0; i < FN_NR_MDEVS; i++) {
		if (!f->dev[i])
			continue;
		f->t->DetachDeviceEx(f->dev[i]);
		KUNIT_EXPECT_EQ(test, f->t->DeleteDevice(f->dev[i]), STATUS_SUCCESS);
	}
	if (f->dom)
		KUNIT_EXPECT_EQ(test, f->t->DeleteDomain(f->dom), STATUS_SUCCESS);
	if (f->dom_pasid)
		KUNIT_EXPECT_EQ(test, f->t->DeleteDomain(f->dom_pasid), STATUS_SUCCESS);
	for (i = 0; i < FN_NR_MDEVS; i++)
		if (f->md[i])
			winiommu_mock_dev_remove(f->md[i]);
	IoFreeMdl(f->mdl);
	vfree(f->buf);
	KUNIT_EXPECT_EQ_MSG(test, m->violations, 0, "%s", m->why);
	KUNIT_EXPECT_EQ(test, m->claims, m->releases);
	KUNIT_EXPECT_EQ(test, m->allocs, m->frees);
	KUNIT_EXPECT_EQ(test, m->live_domains, 0);
	KUNIT_EXPECT_EQ(test, m->attaches, m->detaches);
	KUNIT_EXPECT_EQ(test, m->resv_gets, m->resv_puts);
	KUNIT_EXPECT_EQ(test, m->group_gets, m->group_puts);
	KUNIT_EXPECT_EQ(test, m->pasid_allocs, m->pasid_frees);
	KUNIT_EXPECT_EQ(test, m->pasid_attaches, m->pasid_detaches);
	winiommu_test_snap_check(test, &f->snap);
}

/* ---- building blocks ---------------------------------------------------------------- */

/* Mock device @which and its DMA device (PASID-capable for FN_P). */
static void fn_mdev(struct kunit *test, enum fn_mdev which)
{
	static const struct { unsigned int instance, resv; } conf[FN_NR_MDEVS] = {
		[FN_A] = { 0, MOCK_RESV_SW_MSI },
		[FN_B] = { 1, MOCK_RESV_MSI },
		[FN_C] = { 0, MOCK_RESV_DIRECT | MOCK_RESV_RESERVED },
		[FN_P] = { 1, 0 },
	};
	IOMMU_DEVICE_CREATION_CONFIGURATION cfg = {
		.ConfigType = IommuDeviceCreationConfigTypePasid,
		.Pasid.ConfigType = PasidConfigTypePasidTaggedDma,
	};
	struct fn_fixture *f = test->priv;
	struct mock_dev *md;
	char name[32];

	snprintf(name, sizeof(name), "winiommu-failnth-%u", which);
	md = winiommu_mock_dev_add(test, name, conf[which].instance);
	KUNIT_ASSERT_NOT_NULL(test, md);
	f->md[which] = md;
	md->resv = conf[which].resv;
	if (which == FN_P)
		md->max_pasids = FN_PASIDS;
	KUNIT_ASSERT_EQ(test, f->t->CreateDevice(md->dev, which == FN_P ? &cfg : NULL,
						 &f->dev[which]), STATUS_SUCCESS);
}

/* A Translate domain with a buddy allocator, a Windows hole and a ShouldMap region. */
static NTSTATUS fn_create_domain(struct kunit *test, PIOMMU_DMA_DOMAIN *out)
{
	struct fn_fixture *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = FN_WIDTH,
	};
	IOMMU_DMA_RESERVED_REGION direct = {
		.Base = FN_DIRECT_BASE, .NumberOfPages = FN_DIRECT_PAGES, .ShouldMap = TRUE,
	};
	IOMMU_DMA_RESERVED_REGION hole = {
		.RegionNext = &direct, .Base = FN_HOLE_BASE, .NumberOfPages = FN_HOLE_PAGES,
	};

	return f->t->CreateDomainEx(DomainTypeTranslate, flags, &buddy, &hole, out);
}

/* The domain, tracked; skips where the machine has no IOMMU. */
static PIOMMU_DMA_DOMAIN fn_domain(struct kunit *test, PIOMMU_DMA_DOMAIN *slot)
{
	NTSTATUS st = fn_create_domain(test, slot);

	if (st == STATUS_NOT_SUPPORTED)
		kunit_skip(test, "CreateDomainEx refuses domains on a machine without IOMMU");
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	return *slot;
}

/* The MDL of FN_PAGES vmalloc pages. */
static void fn_mdl(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	f->buf = vmalloc(FN_PAGES * PAGE_SIZE);
	KUNIT_ASSERT_NOT_NULL(test, f->buf);
	f->mdl = IoAllocateMdl(f->buf, FN_PAGES * PAGE_SIZE, FALSE, FALSE, NULL);
	KUNIT_ASSERT_NOT_NULL(test, f->mdl);
	MmBuildMdlForNonPagedPool(f->mdl);
	f->pa.MapType = MapPhysicalAddressTypeMdl;
	f->pa.Mdl.Mdl = f->mdl;
	f->pa1.MapType = MapPhysicalAddressTypeContiguousRange;
	f->pa1.ContiguousRange.Base.QuadPart = (u64)MmGetMdlPfnArray(f->mdl)[0] << PAGE_SHIFT;
	f->pa1.ContiguousRange.Size = PAGE_SIZE;
}

/*
 * The domain with what an attach replays: the MDL mapped, a token with a
 * segment (the MDL's first page at offset 0).
 */
static void fn_populate(struct kunit *test, PIOMMU_DMA_DOMAIN dom, bool token)
{
	struct fn_fixture *f = test->priv;

	f->pop = dom;
	KUNIT_ASSERT_EQ(test, f->t->MapLogicalRangeEx(dom, IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE,
						      &f->pa, NULL, NULL, NULL, &f->map_addr),
			STATUS_SUCCESS);
	if (!token)
		return;
	KUNIT_ASSERT_EQ(test, f->t->ReserveLogicalAddressRange(dom, FN_TOKEN_SIZE, NULL, NULL,
							       NULL, &f->tok),
			STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->MapReservedLogicalRange(f->tok, 0, IOMMU_ACCESS_READ,
							    &f->pa, &f->seg),
			STATUS_SUCCESS);
}

/* The MDL's page @i, as the IOMMU must see it. */
static phys_addr_t fn_page_pa(struct kunit *test, unsigned int i)
{
	struct fn_fixture *f = test->priv;

	return (phys_addr_t)MmGetMdlPfnArray(f->mdl)[i] << PAGE_SHIFT;
}

/* Every page of the MDL is mapped at @addr in @md. */
static void fn_expect_mdl_at(struct kunit *test, struct mock_domain *md, u64 addr,
			     const char *what)
{
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL_MSG(test, md, "%s: no Linux domain", what);
	for (i = 0; i < FN_PAGES; i++)
		KUNIT_EXPECT_EQ_MSG(test, winiommu_mock_lookup(md, addr + i * PAGE_SIZE, NULL),
				    fn_page_pa(test, i), "%s: page %u at %#llx", what, i, addr);
}

/* @md is the complete image of the populated domain (fn_populate). */
static void fn_expect_replayed(struct kunit *test, struct mock_domain *md, const char *what)
{
	struct fn_fixture *f = test->priv;
	unsigned int i;

	fn_expect_mdl_at(test, md, f->map_addr, what);
	if (f->tok)
		KUNIT_EXPECT_EQ_MSG(test,
				    winiommu_mock_lookup(md, f->tok->LogicalAddressBase, NULL),
				    fn_page_pa(test, 0), "%s: the token's segment", what);
	for (i = 0; i < FN_DIRECT_PAGES; i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    winiommu_mock_lookup(md, FN_DIRECT_BASE + i * PAGE_SIZE, NULL),
				    FN_DIRECT_BASE + i * PAGE_SIZE, "%s: the ShouldMap region",
				    what);
}

/* No block of the allocator lies in [@base, +@size): it is a reserved region. */
static void fn_expect_kept_out(struct kunit *test, PIOMMU_DMA_DOMAIN dom, u64 base, u64 size,
			       const char *what)
{
	struct fn_fixture *f = test->priv;
	u64 min = base, max = base + size - 1, addr = WINIOMMU_TEST_BAD_ADDR;
	NTSTATUS st;

	st = f->t->MapLogicalRangeEx(dom, IOMMU_ACCESS_READ, &f->pa1, NULL, &min, &max, &addr);
	KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INVALID_PARAMETER_MIX,
			    "%s [%#llx, %#llx]: the allocator handed out %#llx", what, min, max,
			    addr);
	if (NT_SUCCESS(st))
		f->t->UnmapLogicalRange(dom, addr, 1);
}

/* ---- CreateDomainEx ----------------------------------------------------------------- */

static NTSTATUS fn_create_domain_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	f->out_dom = WINIOMMU_TEST_BAD_DOMAIN;
	return fn_create_domain(test, &f->out_dom);
}

static NTSTATUS fn_create_unmanaged_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};

	f->out_dom = WINIOMMU_TEST_BAD_DOMAIN;
	return f->t->CreateDomainEx(DomainTypeUnmanaged, flags, NULL, NULL, &f->out_dom);
}

static void fn_create_domain_failed(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_PTR_EQ(test, f->out_dom, WINIOMMU_TEST_BAD_DOMAIN);
}

/* The domain works: its allocator keeps the Windows hole out; then it goes. */
static void fn_create_domain_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	if (f->mdl)
		fn_expect_kept_out(test, f->out_dom, FN_HOLE_BASE, FN_HOLE_PAGES * PAGE_SIZE,
				   "the Windows hole");
	KUNIT_EXPECT_EQ(test, f->t->DeleteDomain(f->out_dom), STATUS_SUCCESS);
}

static void fn_create_unmanaged_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_EQ(test, f->t->DeleteDomain(f->out_dom), STATUS_SUCCESS);
}

static void failnth_create_domain_test(struct kunit *test)
{
	static const struct fn_routine translate = {
		.name = "CreateDomainEx(Translate, buddy allocator, 2 reserved regions)",
		.call = fn_create_domain_call,
		.failed = fn_create_domain_failed,
		.done = fn_create_domain_done,
	};
	static const struct fn_routine unmanaged = {
		.name = "CreateDomainEx(Unmanaged)",
		.call = fn_create_unmanaged_call,
		.failed = fn_create_domain_failed,
		.done = fn_create_unmanaged_done,
	};
	struct fn_fixture *f = test->priv;

	fn_require(test);
	fn_domain(test, &f->dom);	/* skips without an IOMMU */
	fn_mdl(test);
	KUNIT_EXPECT_GT(test, fn_sweep(test, &unmanaged), 0);
	if (!IS_ENABLED(CONFIG_FAULT_INJECTION_STACKTRACE_FILTER))
		kunit_skip(test,
			   "no CONFIG_FAULT_INJECTION_STACKTRACE_FILTER to exempt iova_domain_init_rcaches(), which crashes on a failed allocation in Linux 6.12");
	KUNIT_EXPECT_GT(test, fn_sweep(test, &translate), 0);
}

/* ---- CreateDevice ------------------------------------------------------------------- */

static NTSTATUS fn_create_device_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	f->out_dev = (PIOMMU_DMA_DEVICE)WINIOMMU_TEST_BAD_DOMAIN;
	return f->t->CreateDevice(f->md[FN_A]->dev, NULL, &f->out_dev);
}

static NTSTATUS fn_create_pasid_capable_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	IOMMU_DEVICE_CREATION_CONFIGURATION cfg = {
		.ConfigType = IommuDeviceCreationConfigTypePasid,
		.Pasid.ConfigType = PasidConfigTypePasidTaggedDma,
	};

	f->out_dev = (PIOMMU_DMA_DEVICE)WINIOMMU_TEST_BAD_DOMAIN;
	return f->t->CreateDevice(f->md[FN_P]->dev, &cfg, &f->out_dev);
}

static void fn_create_device_failed(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_PTR_EQ(test, f->out_dev, (PIOMMU_DMA_DEVICE)WINIOMMU_TEST_BAD_DOMAIN);
}

/* The device can be attached; then it goes. */
static void fn_create_device_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(f->dom, f->out_dev), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(f->out_dev), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->DeleteDevice(f->out_dev), STATUS_SUCCESS);
}

static void failnth_create_device_test(struct kunit *test)
{
	static const struct fn_routine plain = {
		.name = "CreateDevice",
		.call = fn_create_device_call,
		.failed = fn_create_device_failed,
		.done = fn_create_device_done,
	};
	static const struct fn_routine tagged = {
		.name = "CreateDevice(PasidTaggedDma)",
		.call = fn_create_pasid_capable_call,
		.failed = fn_create_device_failed,
		.done = fn_create_device_done,
	};
	struct fn_fixture *f = test->priv;
	struct mock_dev *md;

	fn_require(test);
	fn_domain(test, &f->dom);
	/* mock devices without DMA devices of their own */
	md = winiommu_mock_dev_add(test, "winiommu-failnth-a", 0);
	KUNIT_ASSERT_NOT_NULL(test, md);
	f->md[FN_A] = md;
	md = winiommu_mock_dev_add(test, "winiommu-failnth-p", 1);
	KUNIT_ASSERT_NOT_NULL(test, md);
	f->md[FN_P] = md;
	md->max_pasids = FN_PASIDS;
	KUNIT_EXPECT_GT(test, fn_sweep(test, &plain), 0);
	KUNIT_EXPECT_GT(test, fn_sweep(test, &tagged), 0);
}

/* ---- AttachDeviceEx, with replay ---------------------------------------------------- */

/*
 * Every run starts from a new domain, populated, with A attached first
 * unless A is the one attaching: the device regions a failed attach merged
 * into the last domain (they stay, by design) must not hide the fail
 * points of the merge from the next run.
 */
static void fn_attach_setup(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	unsigned int i;

	for (i = 0; i < FN_NR_MDEVS; i++)
		if (f->md[i] && f->md[i]->attached)
			KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(f->dev[i]), STATUS_SUCCESS);
	if (f->seg.OwningToken)
		KUNIT_EXPECT_EQ(test, f->t->UnmapReservedLogicalRange(&f->seg), STATUS_SUCCESS);
	if (f->tok)
		KUNIT_EXPECT_EQ(test, f->t->FreeReservedLogicalAddressRange(f->tok),
				STATUS_SUCCESS);
	f->tok = NULL;
	if (f->dom)
		KUNIT_EXPECT_EQ(test, f->t->DeleteDomain(f->dom), STATUS_SUCCESS);
	f->dom = NULL;
	f->map_addr = 0;
	fn_domain(test, &f->dom);
	fn_populate(test, f->dom, true);
	if (f->attaching != FN_A)
		KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(f->dom, f->dev[FN_A]), STATUS_SUCCESS);
}

static NTSTATUS fn_attach_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	return f->t->AttachDeviceEx(f->dom, f->dev[f->attaching]);
}

/* Attached nowhere, with no Linux domain or ownership left behind (the books). */
static void fn_attach_failed(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_PTR_EQ(test, f->md[f->attaching]->attached, NULL);
	KUNIT_EXPECT_FALSE(test, f->md[f->attaching]->claimed);
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(f->dev[f->attaching]),
			STATUS_INVALID_PARAMETER_1);
}

/*
 * The device's Linux domain is the complete image of the domain, and the
 * allocator keeps every reserved region of the devices attached so far out.
 */
static void fn_attach_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	struct mock_dev *md = f->md[f->attaching];
	unsigned int i;

	fn_expect_replayed(test, md->attached, "after AttachDeviceEx");
	fn_expect_kept_out(test, f->dom, FN_HOLE_BASE, FN_HOLE_PAGES * PAGE_SIZE,
			   "the Windows hole");
	fn_expect_kept_out(test, f->dom, MOCK_SW_MSI_BASE, MOCK_SW_MSI_SIZE, "A's MSI window");
	if (f->md[FN_B]->attached)
		fn_expect_kept_out(test, f->dom, MOCK_MSI_BASE, MOCK_MSI_SIZE, "B's MSI window");
	if (f->md[FN_C]->attached) {
		fn_expect_kept_out(test, f->dom, MOCK_HOLE_BASE, MOCK_HOLE_SIZE, "C's hole");
		fn_expect_kept_out(test, f->dom, MOCK_DIRECT_BASE, MOCK_DIRECT_SIZE,
				   "C's direct region");
		/* in the Linux domain C shares with A, which was there first */
		for (i = 0; i < MOCK_DIRECT_SIZE / PAGE_SIZE; i++)
			KUNIT_EXPECT_EQ(test,
					winiommu_mock_lookup(md->attached,
							     MOCK_DIRECT_BASE + i * PAGE_SIZE,
							     NULL),
					MOCK_DIRECT_BASE + i * PAGE_SIZE);
	}
	KUNIT_EXPECT_EQ(test, f->t->DetachDeviceEx(f->dev[f->attaching]), STATUS_SUCCESS);
}

static void failnth_attach_test(struct kunit *test)
{
	static const struct fn_routine first = {
		.name = "AttachDeviceEx(first device, replay)",
		.call = fn_attach_call,
		.failed = fn_attach_failed,
		.done = fn_attach_done,
		.setup = fn_attach_setup,
	};
	static const struct fn_routine other = {
		.name = "AttachDeviceEx(second IOMMU instance, replay)",
		.call = fn_attach_call,
		.failed = fn_attach_failed,
		.done = fn_attach_done,
		.setup = fn_attach_setup,
	};
	static const struct fn_routine shared = {
		.name = "AttachDeviceEx(shared Linux domain, direct region)",
		.keeps_resv = true,
		.call = fn_attach_call,
		.failed = fn_attach_failed,
		.done = fn_attach_done,
		.setup = fn_attach_setup,
	};
	struct fn_fixture *f = test->priv;

	fn_require(test);
	fn_mdl(test);
	fn_mdev(test, FN_A);
	fn_mdev(test, FN_B);
	fn_mdev(test, FN_C);

	f->attaching = FN_A;
	KUNIT_EXPECT_GT(test, fn_sweep(test, &first), 0);
	f->attaching = FN_B;
	KUNIT_EXPECT_GT(test, fn_sweep(test, &other), 0);
	f->attaching = FN_C;
	KUNIT_EXPECT_GT(test, fn_sweep(test, &shared), 0);
}

/* ---- MapLogicalRangeEx, MapReservedLogicalRange, ReserveLogicalAddressRange --------- */

/* The domain, populated, with A (instance 0) and B (instance 1) attached. */
static void fn_two_instances(struct kunit *test, bool token)
{
	struct fn_fixture *f = test->priv;

	fn_domain(test, &f->dom);
	fn_mdl(test);
	fn_mdev(test, FN_A);
	fn_mdev(test, FN_B);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(f->dom, f->dev[FN_A]), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(f->dom, f->dev[FN_B]), STATUS_SUCCESS);
	fn_populate(test, f->dom, token);
}

static NTSTATUS fn_map_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	f->out_addr = WINIOMMU_TEST_BAD_ADDR;
	return f->t->MapLogicalRangeEx(f->dom, IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE, &f->pa,
				       NULL, NULL, NULL, &f->out_addr);
}

static void fn_map_failed(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_EQ(test, f->out_addr, WINIOMMU_TEST_BAD_ADDR);
}

/* Mapped in both Linux domains; then unmapped from both. */
static void fn_map_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	struct mock_domain *a = f->md[FN_A]->attached, *b = f->md[FN_B]->attached;
	unsigned long pages_a = a->pages, pages_b = b->pages;

	fn_expect_mdl_at(test, a, f->out_addr, "instance 0");
	fn_expect_mdl_at(test, b, f->out_addr, "instance 1");
	KUNIT_EXPECT_EQ(test, f->t->UnmapLogicalRange(f->dom, f->out_addr, FN_PAGES),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, a->pages, pages_a - FN_PAGES);
	KUNIT_EXPECT_EQ(test, b->pages, pages_b - FN_PAGES);
}

static NTSTATUS fn_map_reserved_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	memset(&f->out_seg, WINIOMMU_TEST_CANARY, sizeof(f->out_seg));
	return f->t->MapReservedLogicalRange(f->tok, SZ_2M - PAGE_SIZE,
					     IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE, &f->pa,
					     &f->out_seg);
}

static void fn_map_reserved_failed(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(&f->out_seg, sizeof(f->out_seg)));
}

/* Across a table span, in both Linux domains; then unmapped. */
static void fn_map_reserved_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	u64 at = f->tok->LogicalAddressBase + SZ_2M - PAGE_SIZE;

	fn_expect_mdl_at(test, f->md[FN_A]->attached, at, "segment, instance 0");
	fn_expect_mdl_at(test, f->md[FN_B]->attached, at, "segment, instance 1");
	KUNIT_EXPECT_EQ(test, f->t->UnmapReservedLogicalRange(&f->out_seg), STATUS_SUCCESS);
}

static void failnth_map_test(struct kunit *test)
{
	static const struct fn_routine map = {
		.name = "MapLogicalRangeEx(MDL, 2 IOMMU instances)",
		.call = fn_map_call,
		.failed = fn_map_failed,
		.done = fn_map_done,
	};
	static const struct fn_routine map_reserved = {
		.name = "MapReservedLogicalRange(MDL, 2 IOMMU instances)",
		.call = fn_map_reserved_call,
		.failed = fn_map_reserved_failed,
		.done = fn_map_reserved_done,
	};

	fn_require(test);
	fn_two_instances(test, true);
	KUNIT_EXPECT_GT(test, fn_sweep(test, &map), 0);
	/* the IOMMU's map may allocate: winiommu itself does not */
	fn_sweep(test, &map_reserved);
}

static NTSTATUS fn_reserve_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	f->out_tok = (PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN)WINIOMMU_TEST_BAD_DOMAIN;
	return f->t->ReserveLogicalAddressRange(f->dom, FN_TOKEN_SIZE, NULL, NULL, NULL,
						&f->out_tok);
}

static void fn_reserve_failed(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_PTR_EQ(test, f->out_tok,
			    (PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN)WINIOMMU_TEST_BAD_DOMAIN);
}

/* The token takes a segment in both Linux domains; then it goes. */
static void fn_reserve_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	u64 at = f->out_tok->LogicalAddressBase + SZ_1M;

	KUNIT_EXPECT_EQ(test, f->out_tok->Size, FN_TOKEN_SIZE);
	KUNIT_ASSERT_EQ(test, f->t->MapReservedLogicalRange(f->out_tok, SZ_1M, IOMMU_ACCESS_READ,
							    &f->pa, &seg), STATUS_SUCCESS);
	fn_expect_mdl_at(test, f->md[FN_A]->attached, at, "token, instance 0");
	fn_expect_mdl_at(test, f->md[FN_B]->attached, at, "token, instance 1");
	KUNIT_EXPECT_EQ(test, f->t->UnmapReservedLogicalRange(&seg), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, f->t->FreeReservedLogicalAddressRange(f->out_tok), STATUS_SUCCESS);
}

static void failnth_reserve_test(struct kunit *test)
{
	static const struct fn_routine reserve = {
		.name = "ReserveLogicalAddressRange(3 MiB, 2 IOMMU instances)",
		.call = fn_reserve_call,
		.failed = fn_reserve_failed,
		.done = fn_reserve_done,
	};

	fn_require(test);
	fn_two_instances(test, false);
	KUNIT_EXPECT_GT(test, fn_sweep(test, &reserve), 0);
}

/* ---- the V3 PASID routines ---------------------------------------------------------- */

static NTSTATUS fn_create_pasid_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	f->out_pdev = (PIOMMU_DMA_PASID_DEVICE)WINIOMMU_TEST_BAD_DOMAIN;
	f->out_asid = 0xa5a5a5a5;
	return f->t->CreatePasidDevice(f->dev[FN_P], &f->out_pdev, &f->out_asid);
}

static void fn_create_pasid_failed(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_PTR_EQ(test, f->out_pdev, (PIOMMU_DMA_PASID_DEVICE)WINIOMMU_TEST_BAD_DOMAIN);
	KUNIT_EXPECT_EQ(test, f->out_asid, 0xa5a5a5a5);
	KUNIT_EXPECT_TRUE(test, bitmap_empty(f->md[FN_P]->pasids, MOCK_MAX_PASIDS));
}

static void fn_create_pasid_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_TRUE(test, f->out_asid >= 1 && f->out_asid < FN_PASIDS);
	KUNIT_EXPECT_EQ(test, f->t->DeletePasidDevice(f->out_pdev), STATUS_SUCCESS);
}

static NTSTATUS fn_attach_pasid_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	return f->t->AttachPasidDevice(f->dom_pasid, f->pdev);
}

static void fn_attach_pasid_failed(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	struct mock_dev *md = f->md[FN_P];

	KUNIT_EXPECT_PTR_EQ(test, md->pasid_dom[f->asid], NULL);
	KUNIT_EXPECT_EQ(test, md->nr_pasids_attached, 0);
	KUNIT_EXPECT_FALSE(test, md->claimed);
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(f->pdev), STATUS_INVALID_PARAMETER_1);
}

/* The PASID's Linux domain is the complete image of the domain; then it leaves. */
static void fn_attach_pasid_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	struct mock_dev *md = f->md[FN_P];

	fn_expect_replayed(test, md->pasid_dom[f->asid], "after AttachPasidDevice");
	KUNIT_EXPECT_EQ(test, f->t->DetachPasidDevice(f->pdev), STATUS_SUCCESS);
}

static NTSTATUS fn_query_info_call(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	ULONG written;

	return f->t->QueryDeviceInfo(f->dev[FN_P], sizeof(f->out_info), &written, &f->out_info);
}

static void fn_query_info_done(struct kunit *test)
{
	struct fn_fixture *f = test->priv;

	KUNIT_EXPECT_TRUE(test, f->out_info.PasidTaggedDmaEnabled);
}

static void failnth_pasid_test(struct kunit *test)
{
	static const struct fn_routine create = {
		.name = "CreatePasidDevice",
		.call = fn_create_pasid_call,
		.failed = fn_create_pasid_failed,
		.done = fn_create_pasid_done,
	};
	static const struct fn_routine attach = {
		.name = "AttachPasidDevice(new Linux domain, replay)",
		.call = fn_attach_pasid_call,
		.failed = fn_attach_pasid_failed,
		.done = fn_attach_pasid_done,
	};
	static const struct fn_routine query = {
		.name = "QueryDeviceInfo",
		.call = fn_query_info_call,
		.done = fn_query_info_done,
	};
	struct fn_fixture *f = test->priv;

	fn_require(test);
	fn_domain(test, &f->dom_pasid);
	fn_mdl(test);
	fn_populate(test, f->dom_pasid, true);
	fn_mdev(test, FN_P);
	KUNIT_EXPECT_GT(test, fn_sweep(test, &create), 0);
	KUNIT_ASSERT_EQ(test, f->t->CreatePasidDevice(f->dev[FN_P], &f->pdev, &f->asid),
			STATUS_SUCCESS);
	KUNIT_EXPECT_GT(test, fn_sweep(test, &attach), 0);
	fn_sweep(test, &query);		/* allocates nothing */
}

/* ---- regressions, on every kernel --------------------------------------------------- */

/*
 * A device's direct region joins a domain whose Linux domain is shared
 * with a device already attached: when mapping it there fails, the
 * attach fails, and the next attach must map it (it used to record the
 * region first, and skip it from then on, unmapped).
 */
static void failnth_direct_region_regression_test(struct kunit *test)
{
	struct fn_fixture *f = test->priv;
	struct mock_domain *md;
	unsigned int i;

	fn_domain(test, &f->dom);
	fn_mdev(test, FN_A);
	fn_mdev(test, FN_C);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(f->dom, f->dev[FN_A]), STATUS_SUCCESS);
	winiommu_mock.fail[MOCK_OP_MAP].err = -ENOMEM;
	KUNIT_EXPECT_EQ(test, f->t->AttachDeviceEx(f->dom, f->dev[FN_C]),
			STATUS_INSUFFICIENT_RESOURCES);
	winiommu_mock.fail[MOCK_OP_MAP].err = 0;
	KUNIT_EXPECT_PTR_EQ(test, f->md[FN_C]->attached, NULL);
	KUNIT_ASSERT_EQ(test, f->t->AttachDeviceEx(f->dom, f->dev[FN_C]), STATUS_SUCCESS);
	md = f->md[FN_C]->attached;
	KUNIT_ASSERT_NOT_NULL(test, md);
	KUNIT_EXPECT_PTR_EQ(test, md, f->md[FN_A]->attached);
	for (i = 0; i < MOCK_DIRECT_SIZE / PAGE_SIZE; i++)
		KUNIT_EXPECT_EQ_MSG(test, winiommu_mock_lookup(md, MOCK_DIRECT_BASE + i * PAGE_SIZE,
							       NULL),
				    MOCK_DIRECT_BASE + i * PAGE_SIZE,
				    "C's direct region, page %u, after a failed attach", i);
}

static struct kunit_case failnth_test_cases[] = {
	KUNIT_CASE(failnth_create_domain_test),
	KUNIT_CASE(failnth_create_device_test),
	KUNIT_CASE(failnth_attach_test),
	KUNIT_CASE(failnth_map_test),
	KUNIT_CASE(failnth_reserve_test),
	KUNIT_CASE(failnth_pasid_test),
	KUNIT_CASE(failnth_direct_region_regression_test),
	{}
};

struct kunit_suite winiommu_failnth_suite = {
	.name = "winiommu_failnth",
	.suite_init = winiommu_mock_suite_init,
	.suite_exit = winiommu_mock_suite_exit,
	.init = fn_init,
	.exit = fn_exit,
	.test_cases = failnth_test_cases,
};
