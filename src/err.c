#include "jnet.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t
jnet_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size > 0) {
		size_t c = n < size - 1 ? n : size - 1;
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

void
jnet_err_clear(struct jnet_err *e)
{
	if (e == NULL)
		return;
	e->code = 0;
	e->cni_code = 0;
	e->object[0] = '\0';
	e->msg[0] = '\0';
}

static int err_vset(struct jnet_err *e, int code, const char *object, bool sys, const char *fmt,
    va_list ap) JNET_PRINTF(5, 0);

static int
err_vset(struct jnet_err *e, int code, const char *object, bool sys, const char *fmt, va_list ap)
{
	if (code < 0)
		code = -code;
	if (code == 0)
		code = EIO;
	if (e == NULL)
		return -code;
	e->code = code;
	e->cni_code = 0;
	jnet_strlcpy(e->object, object ? object : "", sizeof(e->object));
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	if (sys) {
		size_t n = strlen(e->msg);
		snprintf(e->msg + n, sizeof(e->msg) - n, "%s%s", n ? ": " : "", strerror(code));
	}
	return -code;
}

int
jnet_err_set(struct jnet_err *e, int code, const char *object, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = err_vset(e, code, object, false, fmt, ap);
	va_end(ap);
	return r;
}

int
jnet_err_sys(struct jnet_err *e, int code, const char *object, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = err_vset(e, code, object, true, fmt, ap);
	va_end(ap);
	return r;
}
