// SPDX-License-Identifier: GPL-2.0-only
/*
 * Copyright (C) 2026 The winiommu authors
 *
 * Memory descriptor lists for ported Windows drivers.  An MDL describes a
 * virtually contiguous kernel buffer by the 4 KiB page frames behind it; the
 * map routines of the IOMMU interface take one (MapPhysicalAddressTypeMdl
 * and the V1 map routines).  winiommu provides the small subset of the
 * Windows MDL routines a driver needs to build one for its own memory:
 * IoAllocateMdl, MmBuildMdlForNonPagedPool and IoFreeMdl.  The header layout
 * and the accessors live in <wdm.h>.
 *
 * "Nonpaged pool" means, on Linux, kernel memory that stays resident: the
 * linear map (kmalloc, the page allocator) and vmalloc space (vmalloc, vmap,
 * vmap'ed stacks).  A module's static data is not supported: the test for
 * module addresses is exported only by newer kernels.  Ported drivers
 * allocate their DMA buffers instead.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include <wdm.h>

/*
 * Largest buffer IoAllocateMdl() accepts on Windows 7 and later: 4 GiB minus
 * one page.  A ULONG length can exceed it only within the last page.
 */
#define WINIOMMU_MDL_MAX_LENGTH	(0xffffffffUL - PAGE_SIZE + 1)

/**
 * IoAllocateMdl() - allocate an MDL large enough to describe a buffer
 * @VirtualAddress: kernel virtual address of the buffer's first byte
 * @Length: buffer length in bytes
 * @SecondaryBuffer: only meaningful together with @Irp; ignored
 * @ChargeQuota: ignored (there are no process quotas to charge)
 * @Irp: must be NULL; IRPs do not exist on Linux
 *
 * Allocates the MDL header and, right after it, one PFN_NUMBER for every
 * 4 KiB page the buffer touches, and initialises the header as Windows does:
 * StartVa is the page-aligned start, ByteOffset the offset into that page,
 * ByteCount is @Length, Size the byte size of header plus PFN array (kept,
 * like Windows' CSHORT, to its low 16 bits: for more than 4089 pages use
 * ADDRESS_AND_SIZE_TO_SPAN_PAGES() instead) and MdlFlags 0.  The PFN array
 * is zeroed; fill it with MmBuildMdlForNonPagedPool().
 *
 * Context: process context; may sleep.
 * Return: the new MDL, to be released with IoFreeMdl(), or NULL if @Length
 * is 0 or too large or @Irp is not NULL (both logged, rate-limited), or if
 * memory ran out.
 */
PMDL IoAllocateMdl(PVOID VirtualAddress, ULONG Length, BOOLEAN SecondaryBuffer,
		   BOOLEAN ChargeQuota, PIRP Irp)
{
	unsigned long pages;
	size_t bytes;
	PMDL mdl;

	if (Irp) {
		pr_warn_ratelimited("%s: Irp must be NULL: there are no IRPs on Linux\n",
				    __func__);
		return NULL;
	}
	if (!Length || Length > WINIOMMU_MDL_MAX_LENGTH) {
		pr_warn_ratelimited("%s: Length %u out of range (1..%lu)\n",
				    __func__, Length, WINIOMMU_MDL_MAX_LENGTH);
		return NULL;
	}

	pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(VirtualAddress, Length);
	bytes = size_add(sizeof(*mdl), array_size(pages, sizeof(PFN_NUMBER)));

	/* kvzalloc: kmalloc for the usual small MDL, vmalloc for huge ones. */
	mdl = kvzalloc(bytes, GFP_KERNEL);
	if (!mdl)
		return NULL;

	mdl->Size = (CSHORT)bytes;
	mdl->StartVa = (PVOID)((ULONG_PTR)VirtualAddress & PAGE_MASK);
	mdl->ByteOffset = BYTE_OFFSET(VirtualAddress);
	mdl->ByteCount = Length;
	return mdl;
}
EXPORT_SYMBOL_GPL(IoAllocateMdl);

/**
 * MmBuildMdlForNonPagedPool() - fill an MDL's PFN array for resident memory
 * @MemoryDescriptorList: MDL from IoAllocateMdl() for a kernel buffer
 *
 * Looks up the page frame behind every page of the buffer: through the
 * linear map for kmalloc and page-allocator memory, through the kernel page
 * tables for vmalloc space.  Then sets MappedSystemVa to the buffer's
 * address and MDL_SOURCE_IS_NONPAGED_POOL in MdlFlags.
 *
 * A page that is neither (a user address, a highmem kmap, a module's static
 * data) cannot be described: its PFN stays 0, and a rate-limited warning
 * names the routine and the address.  The caller owns the memory and keeps
 * it allocated for as long as the MDL is in use.
 *
 * Context: any context; does not sleep.
 */
void MmBuildMdlForNonPagedPool(PMDL MemoryDescriptorList)
{
	PMDL mdl = MemoryDescriptorList;
	PPFN_NUMBER pfns;
	unsigned long i, pages;
	const char *va;

	if (!mdl) {
		pr_warn_ratelimited("%s: NULL MDL\n", __func__);
		return;
	}

	pfns = MmGetMdlPfnArray(mdl);
	pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(mdl->ByteOffset, mdl->ByteCount);
	va = mdl->StartVa;

	for (i = 0; i < pages; i++, va += PAGE_SIZE) {
		if (is_vmalloc_addr(va)) {
			pfns[i] = vmalloc_to_pfn(va);
		} else if (virt_addr_valid(va)) {
			pfns[i] = page_to_pfn(virt_to_page(va));
		} else {
			pfns[i] = 0;
			pr_warn_ratelimited("%s: %p is not resident kernel memory\n",
					    __func__, va);
		}
	}

	mdl->MappedSystemVa = MmGetMdlVirtualAddress(mdl);
	mdl->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
}
EXPORT_SYMBOL_GPL(MmBuildMdlForNonPagedPool);

/**
 * IoFreeMdl() - free an MDL allocated by IoAllocateMdl()
 * @Mdl: the MDL, or NULL
 *
 * Frees the header and PFN array only; the described buffer is untouched
 * and nothing has to be unlocked or unmapped first.  The MDL must no longer
 * be mapped through the IOMMU interface.
 *
 * Context: process context.
 */
void IoFreeMdl(PMDL Mdl)
{
	kvfree(Mdl);
}
EXPORT_SYMBOL_GPL(IoFreeMdl);
