/*
 * jnet: common definitions shared by the core, the backends and the CLI.
 *
 * Errors travel as values: a function returns 0 or -errno and, on failure, fills a
 * struct jnet_err naming the object and the reason. Only the CLI prints.
 */
#ifndef JNET_H
#define JNET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JNET_VERSION     "0.1.0"
#define JNET_IFNAMSIZ    16   /* IFNAMSIZ on Linux and FreeBSD, including the NUL */
#define JNET_JAILNAMSIZ  256  /* buffer for a jail name or spec, including the NUL */
/*
 * Longest jail name (and lab.jail name) we accept. The tag of a link end must fit the
 * kernel's 255-byte interface alias (Linux IFALIASZ - 1): "jnet/2 link netgraph 63 a "
 * (26) + NAME + " n=64 t=" and a 10-digit time (18) leaves 211; 200 keeps room for one
 * more field. FreeBSD's descriptions (ifdescr_maxlen 1024) and jail names (MAXHOSTNAMELEN
 * 256) hold more.
 */
#define JNET_JAILNAME_MAX 200
#define JNET_TAGSIZ      320  /* longest ownership tag, including the NUL */
#define JNET_MAXLINKS    64   /* links (interfaces) per jail */
#define JNET_VID_MIN     1    /* 802.1Q VLAN IDs jnet takes (0 and 4095 are reserved) */
#define JNET_VID_MAX     4094
#define JNET_MACSTRLEN   18   /* "xx:xx:xx:xx:xx:xx" + NUL */
/*
 * CNI plugin mode: a link tag carries the attachment's identity, "CONTAINERID@IFNAME" as
 * its jail name and " cni=NETWORK". Longest tag: "jnet/2 link netgraph 63 a " (26) +
 * 128 + 1 + 15 + " n=1 t=" and 10 digits (17) + " cni=" (5) + 63 = 255, the kernel's limit.
 */
#define JNET_CNI_CIDMAX  128  /* longest CNI_CONTAINERID */
#define JNET_CNI_NETMAX  63   /* longest CNI network name */
#define JNET_CNI_MASQ_NAMESMAX 116 /* ipMasq (nftables): network name, container ID and
				    * ifname together ("jnet-cni N C I" in 127 bytes) */
#define JNET_CNI_NETSIZ  (JNET_CNI_NETMAX + 1)

#if defined(__GNUC__)
#define JNET_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define JNET_PRINTF(a, b)
#endif

struct jnet_err {
	int code;            /* positive errno of the failure, 0 when clear */
	char object[80];     /* interface, bridge, jail or file the error is about; may be "" */
	char msg[1024];      /* reason, including the kernel's extended-ACK text when there is one */
	int cni_code;        /* CNI error code a delegated CNI plugin reported, 0 if none */
};

/* Fill e (if not NULL) and return -code. */
int jnet_err_set(struct jnet_err *e, int code, const char *object, const char *fmt, ...)
	JNET_PRINTF(4, 5);
/* Same, appending strerror(code) to the formatted reason: "<fmt>: <strerror>". */
int jnet_err_sys(struct jnet_err *e, int code, const char *object, const char *fmt, ...)
	JNET_PRINTF(4, 5);
void jnet_err_clear(struct jnet_err *e);

/* Small string helpers. */
size_t jnet_strlcpy(char *dst, const char *src, size_t size);

#endif
