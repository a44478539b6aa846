// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * The NTSTATUS values of ntstatus.h against the numbers Windows publishes
 * (ntstatus.h of the Windows SDK / [MS-ERREF] 2.3.1), so a ported driver
 * that compares or logs a status sees exactly what it would on Windows;
 * the NT_SUCCESS() family on each of them; and STATUS_IN_USE, which has no
 * published number, kept apart from every Microsoft code.
 */
#include "winiommu_test.h"

struct status_case {
	const char *name;
	NTSTATUS value;		/* as ntstatus.h defines it */
	u32 windows;		/* as Windows publishes it */
};

#define STATUS_CASE(st, num)	{ .name = #st, .value = (st), .windows = (num) }

/* Every Microsoft code of ntstatus.h; STATUS_IN_USE has its own cases. */
static const struct status_case status_cases[] = {
	STATUS_CASE(STATUS_SUCCESS, 0x00000000),
	STATUS_CASE(STATUS_DEVICE_BUSY, 0x80000011),
	STATUS_CASE(STATUS_UNSUCCESSFUL, 0xC0000001),
	STATUS_CASE(STATUS_NOT_IMPLEMENTED, 0xC0000002),
	STATUS_CASE(STATUS_INVALID_HANDLE, 0xC0000008),
	STATUS_CASE(STATUS_INVALID_PARAMETER, 0xC000000D),
	STATUS_CASE(STATUS_NO_SUCH_DEVICE, 0xC000000E),
	STATUS_CASE(STATUS_INVALID_DEVICE_REQUEST, 0xC0000010),
	STATUS_CASE(STATUS_NO_MEMORY, 0xC0000017),
	STATUS_CASE(STATUS_ACCESS_DENIED, 0xC0000022),
	STATUS_CASE(STATUS_BUFFER_TOO_SMALL, 0xC0000023),
	STATUS_CASE(STATUS_INVALID_PARAMETER_MIX, 0xC0000030),
	STATUS_CASE(STATUS_NONE_MAPPED, 0xC0000073),
	STATUS_CASE(STATUS_INSUFFICIENT_RESOURCES, 0xC000009A),
	STATUS_CASE(STATUS_NOT_SUPPORTED, 0xC00000BB),
	STATUS_CASE(STATUS_INVALID_PARAMETER_1, 0xC00000EF),
	STATUS_CASE(STATUS_INVALID_PARAMETER_2, 0xC00000F0),
	STATUS_CASE(STATUS_INVALID_PARAMETER_3, 0xC00000F1),
	STATUS_CASE(STATUS_INVALID_PARAMETER_4, 0xC00000F2),
	STATUS_CASE(STATUS_INVALID_PARAMETER_5, 0xC00000F3),
	STATUS_CASE(STATUS_INVALID_PARAMETER_6, 0xC00000F4),
	STATUS_CASE(STATUS_INVALID_PARAMETER_7, 0xC00000F5),
	STATUS_CASE(STATUS_INVALID_PARAMETER_8, 0xC00000F6),
	STATUS_CASE(STATUS_INVALID_PARAMETER_9, 0xC00000F7),
	STATUS_CASE(STATUS_INVALID_PARAMETER_10, 0xC00000F8),
	STATUS_CASE(STATUS_INVALID_PARAMETER_11, 0xC00000F9),
	STATUS_CASE(STATUS_INVALID_PARAMETER_12, 0xC00000FA),
	STATUS_CASE(STATUS_NOT_FOUND, 0xC0000225),
	STATUS_CASE(STATUS_RESOURCE_IN_USE, 0xC0000708),
};

KUNIT_ARRAY_PARAM_DESC(status, status_cases, name);

/* The value, and what the NT_*() macros make of it, per the severity bits. */
static void status_value_test(struct kunit *test)
{
	const struct status_case *c = test->param_value;
	u32 severity = c->windows >> 30;

	KUNIT_EXPECT_EQ(test, sizeof(c->value), 4);
	KUNIT_EXPECT_EQ(test, (u32)c->value, c->windows);
	KUNIT_EXPECT_EQ(test, NT_SUCCESS(c->value), severity <= 1);
	KUNIT_EXPECT_EQ(test, NT_INFORMATION(c->value), severity == 1);
	KUNIT_EXPECT_EQ(test, NT_WARNING(c->value), severity == 2);
	KUNIT_EXPECT_EQ(test, NT_ERROR(c->value), severity == 3);
	/* Microsoft codes never carry the customer bit. */
	KUNIT_EXPECT_EQ(test, c->windows & BIT(29), 0);
}

/* No two names of the table share a number. */
static void status_distinct_test(struct kunit *test)
{
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(status_cases); i++)
		for (j = i + 1; j < ARRAY_SIZE(status_cases); j++)
			KUNIT_EXPECT_NE_MSG(test, status_cases[i].value, status_cases[j].value,
					    "%s and %s", status_cases[i].name,
					    status_cases[j].name);
}

/*
 * STATUS_IN_USE: an error a driver can test with NT_ERROR(), in the
 * customer space so it can never alias a Microsoft code.
 */
static void status_in_use_test(struct kunit *test)
{
	size_t i;

	KUNIT_EXPECT_FALSE(test, NT_SUCCESS(STATUS_IN_USE));
	KUNIT_EXPECT_TRUE(test, NT_ERROR(STATUS_IN_USE));
	KUNIT_EXPECT_NE(test, (u32)STATUS_IN_USE & BIT(29), 0);
	for (i = 0; i < ARRAY_SIZE(status_cases); i++)
		KUNIT_EXPECT_NE_MSG(test, STATUS_IN_USE, status_cases[i].value,
				    "STATUS_IN_USE aliases %s", status_cases[i].name);
}

/* The macros at the edges of each severity, cast from any integer type. */
static void status_macros_test(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, NT_SUCCESS(0x3fffffff));
	KUNIT_EXPECT_TRUE(test, NT_SUCCESS(0x40000000));
	KUNIT_EXPECT_TRUE(test, NT_INFORMATION(0x40000000));
	KUNIT_EXPECT_TRUE(test, NT_SUCCESS(0x7fffffff));
	KUNIT_EXPECT_FALSE(test, NT_SUCCESS(0x80000000u));
	KUNIT_EXPECT_TRUE(test, NT_WARNING(0x80000000u));
	KUNIT_EXPECT_FALSE(test, NT_SUCCESS(0xc0000000u));
	KUNIT_EXPECT_TRUE(test, NT_ERROR(0xffffffffu));
	KUNIT_EXPECT_FALSE(test, NT_ERROR(0xbfffffffu));
	/* A 64-bit value is truncated to the 32-bit NTSTATUS first. */
	KUNIT_EXPECT_TRUE(test, NT_SUCCESS(0xffffffff00000000ull));
}

static struct kunit_case status_test_cases[] = {
	KUNIT_CASE_PARAM(status_value_test, status_gen_params),
	KUNIT_CASE(status_distinct_test),
	KUNIT_CASE(status_in_use_test),
	KUNIT_CASE(status_macros_test),
	{}
};

struct kunit_suite winiommu_status_suite = {
	.name = "winiommu_status",
	.test_cases = status_test_cases,
};
