/*
 * warmup.c - populates the page tables of bpfcc's loaded segments while clang runs
 * (warmup.h).  Models no kernel behaviour; uses the kernel's MADV_POPULATE_READ, which
 * faults the pages of a mapping in ahead of use without changing them.
 */
#include "driver/warmup.h"

#include <link.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif

static pthread_t warmup_thread;
static bool warmup_running;

/* The first object dl_iterate_phdr() reports is the executable itself. */
static int warmup_object(struct dl_phdr_info *info, size_t size, void *data)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);

	(void)size;
	(void)data;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t start, end;

		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		start = (info->dlpi_addr + ph->p_vaddr) & ~(page - 1);
		end = (info->dlpi_addr + ph->p_vaddr + ph->p_filesz + page - 1) & ~(page - 1);
		if (end > start)
			(void)madvise((void *)start, end - start, MADV_POPULATE_READ);
	}
	return 1;
}

static void *warmup_run(void *arg)
{
	(void)arg;
	dl_iterate_phdr(warmup_object, NULL);
	return NULL;
}

void warmup_start(void)
{
	if (warmup_running)
		return;
	warmup_running = pthread_create(&warmup_thread, NULL, warmup_run, NULL) == 0;
}

void warmup_end(void)
{
	if (!warmup_running)
		return;
	pthread_join(warmup_thread, NULL);
	warmup_running = false;
}
