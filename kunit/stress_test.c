// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Concurrency: eight kthreads call the routines at random for a bounded
 * time (stress_seconds of winiommu_test_edu.ko: 5 s, 30 s in the debug
 * guests, which have two vCPUs and a preemptible kernel).  Each of six
 * workers maps and unmaps (whole, and cut at either end) on a shared
 * Translate domain the edu device is attached to, reserves tokens there
 * and maps and unmaps their segments, and maps and unmaps identity ranges
 * and explicit-address mappings on a domain of its own.  Beside them one
 * thread detaches and reattaches the edu device (the replay racing with
 * the maps) and one changes dma_guard_policy, firing the state-change
 * callback.  Afterwards the books must agree exactly: what every worker
 * believes it mapped is what the real IOMMU translates, page by page
 * (iommu_iova_to_phys), no two blocks the allocator handed out overlap,
 * and once everything is unmapped the IOMMU translates none of it.
 * Lockdep (in the debug kernel) watches the locking all along.
 */
#include <linux/delay.h>
#include <linux/iommu.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/prandom.h>
#include <linux/sort.h>

#include "winiommu_test.h"
#include "edu.h"

#define ST_WORKERS	6
#define ST_POOL		64	/* pages the workers map, shared by all */
#define ST_MAPS		32	/* live mappings a worker keeps at most */
#define ST_TOKENS	2	/* live tokens a worker keeps at most */
#define ST_RUN		4	/* pages in one mapping at most */
#define ST_TOKEN_PAGES	16
#define ST_PRIV_BASE	BIT_ULL(40)	/* explicit addresses on a private domain, above RAM */

/* One mapping a worker made: where, and which pool pages. */
struct st_map {
	u64 addr;
	unsigned int npages;
	u8 page[ST_RUN];
};

/* One token a worker holds, with at most one segment mapped at its start. */
struct st_token {
	PIOMMU_DMA_LOGICAL_ADDRESS_TOKEN tok;
	IOMMU_DMA_LOGICAL_ADDRESS_TOKEN_MAPPED_SEGMENT seg;
	u8 page;
};

struct st_shared;

/**
 * struct st_worker - one kthread and what it believes it holds.
 * @sh: what the workers share.
 * @task: the kthread.
 * @id: its number.
 * @rnd: its random state.
 * @priv: its own Translate domain without an allocator.
 * @maps: its live mappings in the shared domain.
 * @nr_maps: how many.
 * @tokens: its tokens in the shared domain.
 * @ident: pool pages it has identity-mapped in @priv (bit per page).
 * @explicit: explicit-address mappings in @priv (bit per slot).
 * @ops: calls made.
 * @errors: calls that returned what they must not.
 * @why: the first of them.
 */
struct st_worker {
	struct st_shared *sh;
	struct task_struct *task;
	unsigned int id;
	struct rnd_state rnd;
	PIOMMU_DMA_DOMAIN priv;
	struct st_map maps[ST_MAPS];
	unsigned int nr_maps;
	struct st_token tokens[ST_TOKENS];
	u64 ident;
	u64 explicit;
	unsigned long ops;
	unsigned long errors;
	char why[96];
};

/**
 * struct st_shared - the shared side.
 * @t: the V3 table.
 * @dom: the shared domain (allocator), @dev attached (but while the
 *	attach thread has it detached).
 * @dev: the edu device's DMA device.
 * @pool: the pages the workers map.
 * @attach_cycles: detach/attach rounds made.
 * @policy_changes: dma_guard_policy changes made.
 * @callbacks: state-change callbacks received.
 * @errors: unexpected results of the attach and policy threads.
 */
struct st_shared {
	const DMA_IOMMU_INTERFACE_V3 *t;
	PIOMMU_DMA_DOMAIN dom;
	PIOMMU_DMA_DEVICE dev;
	struct page *pool[ST_POOL];
	atomic_long_t attach_cycles;
	atomic_long_t policy_changes;
	atomic_long_t callbacks;
	atomic_long_t errors;
};

static void st_error(struct st_worker *w, const char *what, NTSTATUS st)
{
	if (!w->errors++)
		snprintf(w->why, sizeof(w->why), "%s: %#x", what, st);
}

static u32 st_rand(struct st_worker *w, u32 n)
{
	return prandom_u32_state(&w->rnd) % n;
}

/* A PFN description of @n pool pages picked at random, noted in @m. */
static void st_pick(struct st_worker *w, unsigned int n, struct st_map *m, PFN_NUMBER *pfns)
{
	unsigned int i;

	m->npages = n;
	for (i = 0; i < n; i++) {
		m->page[i] = st_rand(w, ST_POOL);
		pfns[i] = page_to_pfn(w->sh->pool[m->page[i]]);
	}
}

static void st_map(struct st_worker *w)
{
	const DMA_IOMMU_INTERFACE_V3 *t = w->sh->t;
	IOMMU_MAP_PHYSICAL_ADDRESS pa = { .MapType = MapPhysicalAddressTypePfn };
	struct st_map *m = &w->maps[w->nr_maps];
	PFN_NUMBER pfns[ST_RUN];
	NTSTATUS st;

	st_pick(w, 1 + st_rand(w, ST_RUN), m, pfns);
	pa.PfnArray.PageFrame = pfns;
	pa.PfnArray.NumberOfPages = m->npages;
	st = t->MapLogicalRangeEx(w->sh->dom, IOMMU_ACCESS_READ | IOMMU_ACCESS_WRITE, &pa, NULL,
				  NULL, NULL, &m->addr);
	if (st == STATUS_SUCCESS)
		w->nr_maps++;
	else
		st_error(w, "MapLogicalRangeEx", st);
}

/* Unmap a mapping whole, or cut a page off either end of it. */
static void st_unmap(struct st_worker *w)
{
	unsigned int i = st_rand(w, w->nr_maps), how = st_rand(w, 3);
	struct st_map *m = &w->maps[i];
	u64 addr = m->addr, n = m->npages;
	NTSTATUS st;

	if (m->npages > 1 && how == 1) {
		n = 1;			/* the head */
	} else if (m->npages > 1 && how == 2) {
		addr += (u64)(m->npages - 1) << PAGE_SHIFT;
		n = 1;			/* the tail */
	}
	st = w->sh->t->UnmapLogicalRange(w->sh->dom, addr, n);
	if (st != STATUS_SUCCESS) {
		st_error(w, "UnmapLogicalRange", st);
		return;
	}
	if (n == m->npages) {
		*m = w->maps[--w->nr_maps];
		return;
	}
	m->npages--;
	if (addr == m->addr) {
		m->addr += PAGE_SIZE;
		memmove(m->page, m->page + 1, m->npages);
	}
}

static void st_token(struct st_worker *w)
{
	const DMA_IOMMU_INTERFACE_V3 *t = w->sh->t;
	struct st_token *k = &w->tokens[st_rand(w, ST_TOKENS)];
	IOMMU_MAP_PHYSICAL_ADDRESS pa = { .MapType = MapPhysicalAddressTypeContiguousRange };
	NTSTATUS st;

	if (!k->tok) {
		st = t->ReserveLogicalAddressRange(w->sh->dom, ST_TOKEN_PAGES * PAGE_SIZE, NULL,
						   NULL, NULL, &k->tok);
		if (st != STATUS_SUCCESS) {
			k->tok = NULL;
			st_error(w, "ReserveLogicalAddressRange", st);
		}
	} else if (!k->seg.OwningToken && st_rand(w, 4)) {
		k->page = st_rand(w, ST_POOL);
		pa.ContiguousRange.Base.QuadPart = page_to_phys(w->sh->pool[k->page]);
		pa.ContiguousRange.Size = PAGE_SIZE;
		st = t->MapReservedLogicalRange(k->tok, 0, IOMMU_ACCESS_READ, &pa, &k->seg);
		if (st != STATUS_SUCCESS)
			st_error(w, "MapReservedLogicalRange", st);
	} else if (k->seg.OwningToken) {
		st = t->UnmapReservedLogicalRange(&k->seg);
		if (st != STATUS_SUCCESS)
			st_error(w, "UnmapReservedLogicalRange", st);
	} else {
		st = t->FreeReservedLogicalAddressRange(k->tok);
		if (st != STATUS_SUCCESS)
			st_error(w, "FreeReservedLogicalAddressRange", st);
		k->tok = NULL;
	}
}

/* Identity ranges and explicit addresses on the worker's own domain. */
static void st_private(struct st_worker *w)
{
	const DMA_IOMMU_INTERFACE_V3 *t = w->sh->t;
	unsigned int p = st_rand(w, ST_POOL);
	IOMMU_MAP_PHYSICAL_ADDRESS pa = {
		.MapType = MapPhysicalAddressTypeContiguousRange,
		.ContiguousRange.Base.QuadPart = page_to_phys(w->sh->pool[p]),
		.ContiguousRange.Size = PAGE_SIZE,
	};
	IOMMU_DMA_LOGICAL_ADDRESS addr = ST_PRIV_BASE + ((u64)p << PAGE_SHIFT), out;
	NTSTATUS st;

	if (st_rand(w, 2)) {
		if (w->ident & BIT_ULL(p))
			st = t->UnmapIdentityRangeEx(w->priv, &pa);
		else
			st = t->MapIdentityRangeEx(w->priv, IOMMU_ACCESS_READ, &pa);
		if (st == STATUS_SUCCESS)
			w->ident ^= BIT_ULL(p);
		else
			st_error(w, "Map/UnmapIdentityRangeEx", st);
		return;
	}
	if (w->explicit & BIT_ULL(p))
		st = t->UnmapLogicalRange(w->priv, addr, 1);
	else
		st = t->MapLogicalRangeEx(w->priv, IOMMU_ACCESS_READ, &pa, &addr, NULL, NULL, &out);
	if (st == STATUS_SUCCESS)
		w->explicit ^= BIT_ULL(p);
	else
		st_error(w, "explicit MapLogicalRangeEx/UnmapLogicalRange", st);
}

static int st_worker_fn(void *arg)
{
	struct st_worker *w = arg;

	while (!kthread_should_stop()) {
		unsigned int op = st_rand(w, 8);

		if (op < 3 && w->nr_maps < ST_MAPS)
			st_map(w);
		else if (op < 5 && w->nr_maps)
			st_unmap(w);
		else if (op < 6)
			st_token(w);
		else
			st_private(w);
		w->ops++;
		cond_resched();
	}
	return 0;
}

static int st_attach_fn(void *arg)
{
	struct st_shared *sh = arg;

	while (!kthread_should_stop()) {
		if (sh->t->DetachDeviceEx(sh->dev) != STATUS_SUCCESS ||
		    sh->t->AttachDeviceEx(sh->dom, sh->dev) != STATUS_SUCCESS)
			atomic_long_inc(&sh->errors);
		atomic_long_inc(&sh->attach_cycles);
		msleep(20);
	}
	return 0;
}

static int st_policy_fn(void *arg)
{
	struct st_shared *sh = arg;
	unsigned int policy = 0;

	while (!kthread_should_stop()) {
		WRITE_ONCE(winiommu_params.dma_guard_policy, policy++ % 3);
		winiommu_notify_policy_change();
		atomic_long_inc(&sh->policy_changes);
		usleep_range(5000, 10000);
	}
	return 0;
}

static void st_state_cb(PIOMMU_INTERFACE_STATE_CHANGE change, PVOID context)
{
	struct st_shared *sh = context;

	atomic_long_inc(&sh->callbacks);
}

/* A page the IOMMU translates at @addr, as the books say: @want, or nothing. */
static unsigned long st_check_page(struct iommu_domain *d, u64 addr, phys_addr_t want)
{
	return iommu_iova_to_phys(d, addr) != want;
}

struct st_range {
	u64 first, last;
};

static int st_range_cmp(const void *a, const void *b)
{
	const struct st_range *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

/*
 * The books of every worker against the Linux domain and each other: every
 * mapped page and segment is translated to its page, and no two ranges
 * from the allocator overlap.
 */
static void st_check(struct kunit *test, struct st_shared *sh, struct st_worker *ws,
		     struct iommu_domain *d)
{
	unsigned long wrong = 0, overlaps = 0, pages = 0;
	struct st_range *r;
	unsigned int n = 0, i, j, k;

	r = kunit_kcalloc(test, ST_WORKERS * (ST_MAPS + ST_TOKENS), sizeof(*r), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r);
	for (i = 0; i < ST_WORKERS; i++) {
		struct st_worker *w = &ws[i];

		for (j = 0; j < w->nr_maps; j++) {
			struct st_map *m = &w->maps[j];

			for (k = 0; k < m->npages; k++, pages++)
				wrong += st_check_page(d, m->addr + ((u64)k << PAGE_SHIFT),
						       page_to_phys(sh->pool[m->page[k]]));
			r[n].first = m->addr;
			r[n++].last = m->addr + ((u64)m->npages << PAGE_SHIFT) - 1;
		}
		for (j = 0; j < ST_TOKENS; j++) {
			struct st_token *t = &w->tokens[j];
			u64 base;

			if (!t->tok)
				continue;
			base = t->tok->LogicalAddressBase;
			if (t->seg.OwningToken) {
				wrong += st_check_page(d, base, page_to_phys(sh->pool[t->page]));
				pages++;
			}
			for (k = t->seg.OwningToken ? 1 : 0; k < ST_TOKEN_PAGES; k++, pages++)
				wrong += st_check_page(d, base + ((u64)k << PAGE_SHIFT), 0);
			r[n].first = base;
			r[n++].last = base + ST_TOKEN_PAGES * PAGE_SIZE - 1;
		}
	}
	sort(r, n, sizeof(*r), st_range_cmp, NULL);
	for (i = 1; i < n; i++)
		overlaps += r[i].first <= r[i - 1].last;
	kunit_info(test, "stress: %lu pages in %u ranges checked against the IOMMU\n", pages, n);
	KUNIT_EXPECT_EQ_MSG(test, wrong, 0, "pages the IOMMU translates otherwise than the books");
	KUNIT_EXPECT_EQ_MSG(test, overlaps, 0, "ranges the allocator handed out twice");
}

/* Unmap what a worker holds; then none of it is translated any more. */
static void st_release(struct kunit *test, struct st_shared *sh, struct st_worker *w,
		       struct iommu_domain *d)
{
	unsigned long left = 0;
	unsigned int i, k;

	while (w->nr_maps) {
		struct st_map *m = &w->maps[--w->nr_maps];

		KUNIT_EXPECT_EQ(test, sh->t->UnmapLogicalRange(sh->dom, m->addr, m->npages),
				STATUS_SUCCESS);
		for (k = 0; d && k < m->npages; k++)
			left += st_check_page(d, m->addr + ((u64)k << PAGE_SHIFT), 0);
	}
	for (i = 0; i < ST_TOKENS; i++) {
		struct st_token *t = &w->tokens[i];

		if (t->seg.OwningToken)
			KUNIT_EXPECT_EQ(test, sh->t->UnmapReservedLogicalRange(&t->seg),
					STATUS_SUCCESS);
		if (t->tok)
			KUNIT_EXPECT_EQ(test, sh->t->FreeReservedLogicalAddressRange(t->tok),
					STATUS_SUCCESS);
	}
	KUNIT_EXPECT_EQ_MSG(test, left, 0, "pages still translated after their unmap");
	if (w->priv)
		KUNIT_EXPECT_EQ(test, sh->t->DeleteDomain(w->priv), STATUS_SUCCESS);
}

static void stress_map_unmap_test(struct kunit *test)
{
	struct winiommu_test_edu *edu = winiommu_test_edu_get();
	IOMMU_INTERFACE_STATE_CHANGE_FIELDS fields = { .AsULONG = 1 };
	IOMMU_DMA_LOGICAL_ALLOCATOR_CONFIG buddy = {
		.LogicalAllocatorType = IommuDmaLogicalAllocatorBuddy,
		.BuddyAllocatorConfig.AddressWidth = 32,
	};
	IOMMU_DMA_DOMAIN_CREATION_FLAGS flags = {};
	struct task_struct *attacher, *policy;
	struct winiommu_test_snap snap;
	DMA_IOMMU_INTERFACE_EX ex;
	unsigned long ops = 0, errors = 0;
	struct iommu_domain *d;
	unsigned int seconds = clamp(winiommu_test_stress_seconds, 1U, 600U);
	struct st_shared *sh;
	struct st_worker *ws;
	unsigned int i;
	NTSTATUS st;

	if (!edu)
		kunit_skip(test, "no edu device bound by winiommu_test_edu (driver_managed_dma)");
	winiommu_test_snap_take(&snap);
	KUNIT_ASSERT_EQ(test, IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, &ex),
			STATUS_SUCCESS);
	sh = kunit_kzalloc(test, sizeof(*sh), GFP_KERNEL);
	ws = kunit_kcalloc(test, ST_WORKERS, sizeof(*ws), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sh);
	KUNIT_ASSERT_NOT_NULL(test, ws);
	sh->t = &ex.V3;
	st = sh->t->CreateDevice(&edu->pdev->dev, NULL, &sh->dev);
	if (st == STATUS_NOT_FOUND)
		kunit_skip(test, "no IOMMU translates %s", pci_name(edu->pdev));
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	for (i = 0; i < ST_POOL; i++) {
		sh->pool[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
		KUNIT_ASSERT_NOT_NULL(test, sh->pool[i]);
	}
	KUNIT_ASSERT_EQ(test, sh->t->CreateDomainEx(DomainTypeTranslate, flags, &buddy, NULL,
						    &sh->dom), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, sh->t->AttachDeviceEx(sh->dom, sh->dev), STATUS_SUCCESS);
	KUNIT_ASSERT_EQ(test, sh->t->RegisterInterfaceStateChangeCallback(st_state_cb, sh,
									  sh->dev, &fields),
			STATUS_SUCCESS);
	for (i = 0; i < ST_WORKERS; i++) {
		ws[i].sh = sh;
		ws[i].id = i;
		prandom_seed_state(&ws[i].rnd, 0x5eed0000 + i);
		KUNIT_ASSERT_EQ(test, sh->t->CreateDomainEx(DomainTypeTranslate, flags, NULL, NULL,
							    &ws[i].priv), STATUS_SUCCESS);
	}

	/* a thread that cannot start is a failure, and no reason to leave the others running */
	for (i = 0; i < ST_WORKERS; i++) {
		ws[i].task = kthread_run(st_worker_fn, &ws[i], "winiommu-stress-%u", i);
		KUNIT_EXPECT_FALSE(test, IS_ERR(ws[i].task));
	}
	attacher = kthread_run(st_attach_fn, sh, "winiommu-stress-attach");
	policy = kthread_run(st_policy_fn, sh, "winiommu-stress-policy");
	KUNIT_EXPECT_FALSE(test, IS_ERR(attacher));
	KUNIT_EXPECT_FALSE(test, IS_ERR(policy));
	msleep(seconds * MSEC_PER_SEC);
	if (!IS_ERR(policy))
		kthread_stop(policy);
	if (!IS_ERR(attacher))
		kthread_stop(attacher);
	for (i = 0; i < ST_WORKERS; i++) {
		if (!IS_ERR(ws[i].task))
			kthread_stop(ws[i].task);
		ops += ws[i].ops;
		errors += ws[i].errors;
		if (ws[i].errors)
			kunit_info(test, "worker %u: %lu errors, the first %s\n", i, ws[i].errors,
				   ws[i].why);
	}
	kunit_info(test,
		   "stress: %lu operations by %u workers in %u s, %ld detach/attach rounds, %ld policy changes, %ld callbacks\n",
		   ops, ST_WORKERS, seconds, atomic_long_read(&sh->attach_cycles),
		   atomic_long_read(&sh->policy_changes), atomic_long_read(&sh->callbacks));
	KUNIT_EXPECT_EQ(test, errors, 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&sh->errors), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&sh->callbacks), 1);

	winiommu_params = snap.params;
	d = iommu_get_domain_for_dev(&edu->pdev->dev);
	KUNIT_EXPECT_NOT_NULL(test, d);
	if (d)
		st_check(test, sh, ws, d);
	for (i = 0; i < ST_WORKERS; i++)
		st_release(test, sh, &ws[i], d);
	KUNIT_EXPECT_EQ(test, sh->t->UnregisterInterfaceStateChangeCallback(st_state_cb, sh->dev),
			STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, sh->t->DetachDeviceEx(sh->dev), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, sh->t->DeleteDomain(sh->dom), STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, sh->t->DeleteDevice(sh->dev), STATUS_SUCCESS);
	for (i = 0; i < ST_POOL; i++)
		__free_page(sh->pool[i]);
	winiommu_test_snap_check(test, &snap);
}

static struct kunit_case stress_test_cases[] = {
	KUNIT_CASE(stress_map_unmap_test),
	{}
};

struct kunit_suite winiommu_stress_suite = {
	.name = "winiommu_stress",
	.test_cases = stress_test_cases,
};
