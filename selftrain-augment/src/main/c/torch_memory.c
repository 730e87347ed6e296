/*
 * Reuse of libtorch's large CPU tensor blocks, called through JNI by
 * io.selftrain.augment.TorchMemory (which says why).
 *
 * libc10.so allocates every CPU tensor with posix_memalign and frees it with free. This file points
 * libc10's own imports of those two functions (its GOT entries, found through its dynamic section)
 * at the two functions below; nothing else in the process changes. A freed block of at least
 * MIN_BYTES is kept in a small cache instead of going back to glibc, and the next allocation of
 * (nearly) the same size and a compatible alignment takes it back: the memory is already mapped, so
 * no page is faulted in again. Every block in the cache is a glibc block that libc10 freed, so the
 * cache hands back only what glibc gave, and evicting a block is glibc's free. The cache holds at
 * most `capacity` bytes: a freed block that does not fit pushes the oldest ones out. libc10's own
 * zero filling (caffe2_cpu_allocator_do_zero_fill) runs after the allocation, so a reused block
 * starts as zeros like a fresh one.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <jni.h>
#include <link.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Blocks below this size are glibc's business: its bins reuse them without faults already. */
#define MIN_BYTES (256u * 1024u)

/* At most this many blocks in the cache (a B0 training step frees a few hundred large ones). */
#define MAX_BLOCKS 4096

typedef struct {
  void *ptr;
  size_t usable; /* malloc_usable_size(ptr) */
} block;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static block cache[MAX_BLOCKS]; /* oldest first */
static size_t count;
static size_t cachedBytes;
static size_t capacity;
static int installed;

/* Counters for tests and logs: allocations served from the cache, and cache misses. */
static uint64_t hits;
static uint64_t misses;

/* Removes cache[i], keeping the order of the others. Caller holds the lock. */
static void take(size_t i) {
  cachedBytes -= cache[i].usable;
  memmove(&cache[i], &cache[i + 1], (count - i - 1) * sizeof(block));
  count--;
}

static int cached_posix_memalign(void **out, size_t alignment, size_t size) {
  if (size >= MIN_BYTES) {
    pthread_mutex_lock(&lock);
    /* The newest block that fits: at least `size`, at most an eighth (plus a page) larger. */
    size_t slack = size / 8 + 4096;
    for (size_t i = count; i-- > 0;) {
      block b = cache[i];
      if (b.usable >= size && b.usable - size <= slack && ((uintptr_t)b.ptr & (alignment - 1)) == 0) {
        take(i);
        hits++;
        pthread_mutex_unlock(&lock);
        *out = b.ptr;
        return 0;
      }
    }
    misses++;
    pthread_mutex_unlock(&lock);
  }
  return posix_memalign(out, alignment, size);
}

static void cached_free(void *ptr) {
  if (ptr == NULL) {
    return;
  }
  size_t usable = malloc_usable_size(ptr);
  if (usable < MIN_BYTES) {
    free(ptr);
    return;
  }
  /* Blocks pushed out to make room; freed after the lock is released. */
  void *evicted[64];
  size_t nEvicted = 0;
  pthread_mutex_lock(&lock);
  while (count > 0 && usable <= capacity && (count == MAX_BLOCKS || cachedBytes + usable > capacity) &&
         nEvicted < 64) {
    evicted[nEvicted++] = cache[0].ptr;
    take(0);
  }
  int kept = count < MAX_BLOCKS && cachedBytes + usable <= capacity;
  if (kept) {
    cache[count].ptr = ptr;
    cache[count].usable = usable;
    count++;
    cachedBytes += usable;
  }
  pthread_mutex_unlock(&lock);
  for (size_t i = 0; i < nEvicted; i++) {
    free(evicted[i]);
  }
  if (!kept) {
    free(ptr);
  }
}

/* What install() looks for and found. */
typedef struct {
  const char *suffix; /* the library's file name, as the end of its path */
  int found;          /* the library is loaded */
  int patched;        /* GOT entries pointed at the functions above */
} search;

/* Points one GOT entry at `target`, lifting the page's write protection when RELRO set it. */
static int patch(uintptr_t slot, void *target, uintptr_t relroStart, uintptr_t relroEnd) {
  long page = sysconf(_SC_PAGESIZE);
  uintptr_t start = slot & ~(uintptr_t)(page - 1);
  int readOnly = slot >= relroStart && slot < relroEnd;
  if (readOnly && mprotect((void *)start, (size_t)page, PROT_READ | PROT_WRITE) != 0) {
    return 0;
  }
  *(void **)slot = target;
  if (readOnly) {
    mprotect((void *)start, (size_t)page, PROT_READ);
  }
  return 1;
}

/* Patches the posix_memalign and free entries of one relocation table. */
static int patch_table(uintptr_t base, const ElfW(Rela) *rela, size_t bytes, const ElfW(Sym) *symbols,
                       const char *strings, uintptr_t relroStart, uintptr_t relroEnd) {
  int patched = 0;
  for (size_t i = 0; i < bytes / sizeof(ElfW(Rela)); i++) {
    unsigned long type = ELF64_R_TYPE(rela[i].r_info);
    if (type != R_X86_64_JUMP_SLOT && type != R_X86_64_GLOB_DAT) {
      continue;
    }
    const char *name = strings + symbols[ELF64_R_SYM(rela[i].r_info)].st_name;
    void *target = strcmp(name, "posix_memalign") == 0 ? (void *)cached_posix_memalign
                   : strcmp(name, "free") == 0        ? (void *)cached_free
                                                      : NULL;
    if (target != NULL) {
      patched += patch(base + rela[i].r_offset, target, relroStart, relroEnd);
    }
  }
  return patched;
}

static int visit(struct dl_phdr_info *info, size_t size, void *data) {
  (void)size;
  search *s = data;
  size_t nameLength = strlen(info->dlpi_name);
  size_t suffixLength = strlen(s->suffix);
  if (nameLength < suffixLength || strcmp(info->dlpi_name + nameLength - suffixLength, s->suffix) != 0) {
    return 0;
  }
  s->found = 1;
  uintptr_t base = info->dlpi_addr;
  const ElfW(Dyn) *dynamic = NULL;
  uintptr_t relroStart = 0;
  uintptr_t relroEnd = 0;
  for (int i = 0; i < info->dlpi_phnum; i++) {
    if (info->dlpi_phdr[i].p_type == PT_DYNAMIC) {
      dynamic = (const ElfW(Dyn) *)(base + info->dlpi_phdr[i].p_vaddr);
    } else if (info->dlpi_phdr[i].p_type == PT_GNU_RELRO) {
      relroStart = base + info->dlpi_phdr[i].p_vaddr;
      relroEnd = relroStart + info->dlpi_phdr[i].p_memsz;
    }
  }
  if (dynamic == NULL) {
    return 1;
  }
  const ElfW(Rela) *jmprel = NULL;
  const ElfW(Rela) *rela = NULL;
  size_t jmprelBytes = 0;
  size_t relaBytes = 0;
  const ElfW(Sym) *symbols = NULL;
  const char *strings = NULL;
  /* The dynamic linker has already relocated these entries to addresses. */
  for (const ElfW(Dyn) *d = dynamic; d->d_tag != DT_NULL; d++) {
    switch (d->d_tag) {
      case DT_JMPREL:
        jmprel = (const ElfW(Rela) *)d->d_un.d_ptr;
        break;
      case DT_PLTRELSZ:
        jmprelBytes = d->d_un.d_val;
        break;
      case DT_RELA:
        rela = (const ElfW(Rela) *)d->d_un.d_ptr;
        break;
      case DT_RELASZ:
        relaBytes = d->d_un.d_val;
        break;
      case DT_SYMTAB:
        symbols = (const ElfW(Sym) *)d->d_un.d_ptr;
        break;
      case DT_STRTAB:
        strings = (const char *)d->d_un.d_ptr;
        break;
      default:
        break;
    }
  }
  if (symbols == NULL || strings == NULL) {
    return 1;
  }
  if (jmprel != NULL) {
    s->patched += patch_table(base, jmprel, jmprelBytes, symbols, strings, relroStart, relroEnd);
  }
  if (rela != NULL) {
    s->patched += patch_table(base, rela, relaBytes, symbols, strings, relroStart, relroEnd);
  }
  return 1;
}

/*
 * Installs the cache in the libc10.so loaded in this process, holding at most capacityBytes. Returns
 * the number of GOT entries patched (positive), 0 when it was installed already (the capacity is
 * updated), -1 when no libc10.so is loaded, -2 when libc10 imports neither function.
 */
JNIEXPORT jint JNICALL Java_io_selftrain_augment_NativeKernels_reuseTorchMemory(JNIEnv *env, jclass cls,
                                                                                jlong capacityBytes) {
  (void)env;
  (void)cls;
  pthread_mutex_lock(&lock);
  capacity = capacityBytes > 0 ? (size_t)capacityBytes : 0;
  int already = installed;
  pthread_mutex_unlock(&lock);
  if (already) {
    return 0;
  }
  search s = {"/libc10.so", 0, 0};
  dl_iterate_phdr(visit, &s);
  if (!s.found) {
    return -1;
  }
  if (s.patched == 0) {
    return -2;
  }
  pthread_mutex_lock(&lock);
  installed = 1;
  pthread_mutex_unlock(&lock);
  return s.patched;
}

/* The cache's counters: {hits, misses, blocks cached, bytes cached}. */
JNIEXPORT void JNICALL Java_io_selftrain_augment_NativeKernels_torchMemoryCounters(JNIEnv *env, jclass cls,
                                                                                   jlongArray out) {
  (void)cls;
  pthread_mutex_lock(&lock);
  jlong values[4] = {(jlong)hits, (jlong)misses, (jlong)count, (jlong)cachedBytes};
  pthread_mutex_unlock(&lock);
  (*env)->SetLongArrayRegion(env, out, 0, 4, values);
}
