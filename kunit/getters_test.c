// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The getters, IoGetIommuInterfaceEx() and the legacy IoGetIommuInterface():
 * which versions they accept, the Size and Version they report, that every
 * routine slot of the requested version is filled and not one byte past
 * Size is written (a caller built with older headers owns only that much),
 * and that a refused call leaves the caller's structure as it was.
 */
#include "winiommu_test.h"

/* The header of DMA_IOMMU_INTERFACE_EX before the union (Size, Version). */
#define EX_HDR		offsetof(DMA_IOMMU_INTERFACE_EX, V1)

/* Routines in each table (contract §1.2). */
#define V1_ROUTINES	13
#define V2_ROUTINES	22
#define V3_ROUTINES	27

/* The caller's structure, followed by bytes it does not own. */
struct getters_ex_buf {
	DMA_IOMMU_INTERFACE_EX ex;
	u8 beyond[32];
};

struct getters_legacy_buf {
	DMA_IOMMU_INTERFACE itf;
	u8 beyond[32];
};

struct getters_fixture {
	struct winiommu_test_snap snap;
};

static int getters_init(struct kunit *test)
{
	struct getters_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	if (!f)
		return -ENOMEM;
	winiommu_test_snap_take(&f->snap);
	test->priv = f;
	return 0;
}

/* The getters hand out tables; they must not create or keep anything. */
static void getters_exit(struct kunit *test)
{
	struct getters_fixture *f = test->priv;

	winiommu_test_snap_check(test, &f->snap);
}

/* Each of @n pointer slots at @table was written and is not NULL. */
static void getters_expect_slots(struct kunit *test, const void *table, unsigned int n,
				 const char *what)
{
	unsigned int i;
	void *slot;

	for (i = 0; i < n; i++) {
		memcpy(&slot, (const u8 *)table + i * sizeof(slot), sizeof(slot));
		KUNIT_EXPECT_NOT_NULL_MSG(test, slot, "%s slot %u is NULL", what, i);
		KUNIT_EXPECT_FALSE_MSG(test, winiommu_test_untouched(&slot, sizeof(slot)),
				       "%s slot %u was not written", what, i);
	}
}

/* ---- IoGetIommuInterfaceEx: accepted versions ------------------------- */

struct getters_version_case {
	const char *name;
	ULONG version;
	size_t size;
	unsigned int routines;
};

static const struct getters_version_case getters_version_cases[] = {
	{ "V1 Size 0x78", DMA_IOMMU_INTERFACE_EX_VERSION_1, 0x78, V1_ROUTINES },
	{ "V2 Size 0xC0", DMA_IOMMU_INTERFACE_EX_VERSION_2, 0xc0, V2_ROUTINES },
	{ "V3 Size 0xE8", DMA_IOMMU_INTERFACE_EX_VERSION_3, 0xe8, V3_ROUTINES },
};

KUNIT_ARRAY_PARAM_DESC(getters_version, getters_version_cases, name);

static void getters_ex_version_test(struct kunit *test)
{
	const struct getters_version_case *c = test->param_value;
	struct getters_ex_buf buf;
	NTSTATUS st;

	memset(&buf, WINIOMMU_TEST_CANARY, sizeof(buf));
	st = IoGetIommuInterfaceEx(c->version, 0, &buf.ex);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, buf.ex.Size, c->size);
	KUNIT_EXPECT_EQ(test, buf.ex.Version, c->version);
	KUNIT_EXPECT_EQ(test, EX_HDR + c->routines * sizeof(void *), c->size);
	getters_expect_slots(test, &buf.ex.V1, c->routines, c->name);
	/* e.g. the V3-only slots of a V2 request keep the canary */
	KUNIT_EXPECT_TRUE_MSG(test, winiommu_test_untouched((u8 *)&buf + c->size,
							    sizeof(buf) - c->size),
			      "bytes past Size %#zx were written", c->size);
}

/* The input Size means nothing: the caller may leave it 0. */
static void getters_ex_input_size_test(struct kunit *test)
{
	struct getters_ex_buf buf;
	NTSTATUS st;

	memset(&buf, WINIOMMU_TEST_CANARY, sizeof(buf));
	buf.ex.Size = 0;
	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, &buf.ex);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, buf.ex.Size, 0xe8);
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(buf.beyond, sizeof(buf.beyond)));
}

/* ---- IoGetIommuInterfaceEx: refused calls ----------------------------- */

struct getters_bad_case {
	const char *name;
	ULONG version;
	ULONGLONG flags;
	bool null_out;
	NTSTATUS expect;
};

static const struct getters_bad_case getters_bad_cases[] = {
	{ "Version 0", 0, 0, false, STATUS_INVALID_PARAMETER_1 },
	{ "Version 4", 4, 0, false, STATUS_INVALID_PARAMETER_1 },
	{ "Version 0xffffffff", 0xffffffff, 0, false, STATUS_INVALID_PARAMETER_1 },
	{ "Version 0x80000001", 0x80000001, 0, false, STATUS_INVALID_PARAMETER_1 },
	{ "V1 Flags 1", 1, 1, false, STATUS_INVALID_PARAMETER_2 },
	{ "V2 Flags 1", 2, 1, false, STATUS_INVALID_PARAMETER_2 },
	{ "V3 Flags bit 63", 3, BIT_ULL(63), false, STATUS_INVALID_PARAMETER_2 },
	{ "V2 Flags all ones", 2, ~0ULL, false, STATUS_INVALID_PARAMETER_2 },
	{ "V1 InterfaceOut NULL", 1, 0, true, STATUS_INVALID_PARAMETER_3 },
	{ "V2 InterfaceOut NULL", 2, 0, true, STATUS_INVALID_PARAMETER_3 },
	{ "V3 InterfaceOut NULL", 3, 0, true, STATUS_INVALID_PARAMETER_3 },
	/* several bad arguments: the lowest position is reported */
	{ "Version 0 and Flags 1", 0, 1, false, STATUS_INVALID_PARAMETER_1 },
	{ "Version 4 and NULL", 4, 0, true, STATUS_INVALID_PARAMETER_1 },
	{ "Flags 1 and NULL", 2, 1, true, STATUS_INVALID_PARAMETER_2 },
};

KUNIT_ARRAY_PARAM_DESC(getters_bad, getters_bad_cases, name);

static void getters_ex_bad_test(struct kunit *test)
{
	const struct getters_bad_case *c = test->param_value;
	struct getters_ex_buf buf;
	NTSTATUS st;

	memset(&buf, WINIOMMU_TEST_CANARY, sizeof(buf));
	st = IoGetIommuInterfaceEx(c->version, c->flags, c->null_out ? NULL : &buf.ex);
	KUNIT_EXPECT_EQ(test, st, c->expect);
	KUNIT_EXPECT_TRUE_MSG(test, winiommu_test_untouched(&buf, sizeof(buf)),
			      "a refused call wrote the caller's structure");
}

/* ---- relations between the tables ------------------------------------- */

/* EX V1 and the legacy table hold the same thirteen routines. */
static void getters_v1_matches_legacy_test(struct kunit *test)
{
	struct getters_legacy_buf legacy;
	struct getters_ex_buf buf;
	NTSTATUS st;

	memset(&buf, WINIOMMU_TEST_CANARY, sizeof(buf));
	memset(&legacy, WINIOMMU_TEST_CANARY, sizeof(legacy));
	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_1, 0, &buf.ex);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, &legacy.itf);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_MEMEQ(test, &legacy.itf.CreateDomain, &buf.ex.V1,
			   sizeof(DMA_IOMMU_INTERFACE_V1));
}

/* A V3 table starts with the V2 table. */
static void getters_v3_extends_v2_test(struct kunit *test)
{
	struct getters_ex_buf v2, v3;
	NTSTATUS st;

	memset(&v2, WINIOMMU_TEST_CANARY, sizeof(v2));
	memset(&v3, WINIOMMU_TEST_CANARY, sizeof(v3));
	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_2, 0, &v2.ex);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, &v3.ex);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_MEMEQ(test, &v2.ex.V2, &v3.ex.V3, sizeof(DMA_IOMMU_INTERFACE_V2));
}

/* Asking twice gives the same table. */
static void getters_stable_test(struct kunit *test)
{
	struct getters_ex_buf a, b;
	NTSTATUS st;

	memset(&a, WINIOMMU_TEST_CANARY, sizeof(a));
	memset(&b, 0, sizeof(b));
	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, &a.ex);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	st = IoGetIommuInterfaceEx(DMA_IOMMU_INTERFACE_EX_VERSION_3, 0, &b.ex);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_MEMEQ(test, &a.ex.V3, &b.ex.V3, sizeof(DMA_IOMMU_INTERFACE_V3));
}

/* ---- IoGetIommuInterface (legacy) -------------------------------------- */

static void getters_legacy_test(struct kunit *test)
{
	struct getters_legacy_buf buf;
	NTSTATUS st;

	memset(&buf, WINIOMMU_TEST_CANARY, sizeof(buf));
	st = IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, &buf.itf);
	KUNIT_ASSERT_EQ(test, st, STATUS_SUCCESS);
	KUNIT_EXPECT_EQ(test, buf.itf.Version, DMA_IOMMU_INTERFACE_VERSION_1);
	KUNIT_EXPECT_EQ(test, sizeof(buf.itf), 0x70);
	getters_expect_slots(test, &buf.itf.CreateDomain, V1_ROUTINES, "legacy");
	KUNIT_EXPECT_TRUE(test, winiommu_test_untouched(buf.beyond, sizeof(buf.beyond)));
}

static void getters_legacy_bad_test(struct kunit *test)
{
	static const ULONG bad_versions[] = { 0, 2, 3, 0xffffffff };
	struct getters_legacy_buf buf;
	NTSTATUS st;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad_versions); i++) {
		memset(&buf, WINIOMMU_TEST_CANARY, sizeof(buf));
		st = IoGetIommuInterface(bad_versions[i], &buf.itf);
		KUNIT_EXPECT_EQ_MSG(test, st, STATUS_INVALID_PARAMETER_1,
				    "Version %u", bad_versions[i]);
		KUNIT_EXPECT_TRUE_MSG(test, winiommu_test_untouched(&buf, sizeof(buf)),
				      "Version %u wrote the caller's structure",
				      bad_versions[i]);
	}
	st = IoGetIommuInterface(DMA_IOMMU_INTERFACE_VERSION_1, NULL);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_2);
	st = IoGetIommuInterface(2, NULL);
	KUNIT_EXPECT_EQ(test, st, STATUS_INVALID_PARAMETER_1);
}

static struct kunit_case getters_test_cases[] = {
	KUNIT_CASE_PARAM(getters_ex_version_test, getters_version_gen_params),
	KUNIT_CASE(getters_ex_input_size_test),
	KUNIT_CASE_PARAM(getters_ex_bad_test, getters_bad_gen_params),
	KUNIT_CASE(getters_v1_matches_legacy_test),
	KUNIT_CASE(getters_v3_extends_v2_test),
	KUNIT_CASE(getters_stable_test),
	KUNIT_CASE(getters_legacy_test),
	KUNIT_CASE(getters_legacy_bad_test),
	{}
};

struct kunit_suite winiommu_getters_suite = {
	.name = "winiommu_getters",
	.init = getters_init,
	.exit = getters_exit,
	.test_cases = getters_test_cases,
};
