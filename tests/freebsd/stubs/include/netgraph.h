/*
 * STUB for the FreeBSD cross-build link check only (tests/freebsd/cross-build.sh): a
 * stand-in for FreeBSD's <netgraph.h> (libnetgraph), which Zig does not ship. On FreeBSD
 * jnet is built against the system's own /usr/include/netgraph.h; this file is never used
 * there. The kernel's message headers (<netgraph/ng_message.h>, ng_bridge.h, ng_eiface.h,
 * ng_ether.h) are the real ones, from Zig's FreeBSD headers.
 *
 * Written for jnet from the interface documented in netgraph(3).
 */
#ifndef _NETGRAPH_H_
#define _NETGRAPH_H_

#include <sys/types.h>
#include <netgraph/ng_message.h>

__BEGIN_DECLS
int NgMkSockNode(const char *name, int *csp, int *dsp);
int NgNameNode(int cs, const char *path, const char *fmt, ...) __printflike(3, 4);
int NgSendMsg(int cs, const char *path, int cookie, int cmd, const void *arg, size_t arglen);
int NgSendAsciiMsg(int cs, const char *path, const char *fmt, ...) __printflike(3, 4);
int NgSendReplyMsg(int cs, const char *path, const struct ng_mesg *msg, const void *arg,
    size_t arglen);
int NgRecvMsg(int cs, struct ng_mesg *rep, size_t replen, char *path);
int NgAllocRecvMsg(int cs, struct ng_mesg **rep, char *path);
int NgRecvAsciiMsg(int cs, struct ng_mesg *rep, size_t replen, char *path);
int NgAllocRecvAsciiMsg(int cs, struct ng_mesg **rep, char *path);
int NgSendData(int ds, const char *hook, const u_char *buf, size_t len);
int NgRecvData(int ds, u_char *buf, size_t len, char *hook);
int NgAllocRecvData(int ds, u_char **buf, char *hook);
int NgSetDebug(int level);
void NgSetErrLog(void (*log)(const char *fmt, ...), void (*logx)(const char *fmt, ...));
__END_DECLS

#endif /* !_NETGRAPH_H_ */
