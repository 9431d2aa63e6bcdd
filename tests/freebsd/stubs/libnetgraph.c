/*
 * STUB libnetgraph for the FreeBSD cross-build link check only
 * (tests/freebsd/cross-build.sh): every function of netgraph(3), so that linking jnet proves
 * it calls nothing libnetgraph lacks. It does nothing; the binary linked with it is checked,
 * never run. On FreeBSD jnet links the system's /usr/lib/libnetgraph.so.4.
 */
#include <sys/types.h>
#include <errno.h>
#include <netgraph.h>

static int fail(void)
{
	errno = ENOSYS;
	return -1;
}

int NgMkSockNode(const char *name, int *csp, int *dsp) { (void)name; (void)csp; (void)dsp; return fail(); }
int NgNameNode(int cs, const char *path, const char *fmt, ...) { (void)cs; (void)path; (void)fmt; return fail(); }
int NgSendMsg(int cs, const char *path, int cookie, int cmd, const void *arg, size_t arglen)
{
	(void)cs; (void)path; (void)cookie; (void)cmd; (void)arg; (void)arglen;
	return fail();
}
int NgSendAsciiMsg(int cs, const char *path, const char *fmt, ...) { (void)cs; (void)path; (void)fmt; return fail(); }
int NgSendReplyMsg(int cs, const char *path, const struct ng_mesg *msg, const void *arg, size_t arglen)
{
	(void)cs; (void)path; (void)msg; (void)arg; (void)arglen;
	return fail();
}
int NgRecvMsg(int cs, struct ng_mesg *rep, size_t replen, char *path)
{
	(void)cs; (void)rep; (void)replen; (void)path;
	return fail();
}
int NgAllocRecvMsg(int cs, struct ng_mesg **rep, char *path) { (void)cs; (void)rep; (void)path; return fail(); }
int NgRecvAsciiMsg(int cs, struct ng_mesg *rep, size_t replen, char *path)
{
	(void)cs; (void)rep; (void)replen; (void)path;
	return fail();
}
int NgAllocRecvAsciiMsg(int cs, struct ng_mesg **rep, char *path) { (void)cs; (void)rep; (void)path; return fail(); }
int NgSendData(int ds, const char *hook, const u_char *buf, size_t len) { (void)ds; (void)hook; (void)buf; (void)len; return fail(); }
int NgRecvData(int ds, u_char *buf, size_t len, char *hook) { (void)ds; (void)buf; (void)len; (void)hook; return fail(); }
int NgAllocRecvData(int ds, u_char **buf, char *hook) { (void)ds; (void)buf; (void)hook; return fail(); }
int NgSetDebug(int level) { (void)level; return 0; }
void NgSetErrLog(void (*log)(const char *fmt, ...), void (*logx)(const char *fmt, ...)) { (void)log; (void)logx; }
