/*
 * Shared by the fuzz targets: properties are asserted, not merely "no crash". A violated
 * property prints what was expected and aborts, which libFuzzer reports as a crash and
 * saves the input (artifact_prefix).
 */
#ifndef JNET_FUZZ_H
#define JNET_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond, ...) do {                                                    \
	if (!(cond)) {                                                                \
		fprintf(stderr, "\n%s:%d: property violated: %s\n    ", __FILE__,       \
		    __LINE__, #cond);                                                 \
		fprintf(stderr, __VA_ARGS__);                                         \
		fputc('\n', stderr);                                                  \
		abort();                                                              \
	}                                                                             \
} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a C string of exactly size+1 bytes (so ASan sees any over-read); free it. */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
