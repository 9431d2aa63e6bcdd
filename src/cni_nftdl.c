/*
 * libnftables, loaded when ipMasq first needs it rather than by every jnet run: linking it
 * pulls libnftnl, libxtables and libgmp into each process, almost a millisecond of start-up
 * for every `jnet addm` (measured: 1.6 ms per exec without it, 2.5 ms with it). These are
 * the library's own entry points (its header declares them); each one calls the library's
 * function of that name, found in the library itself with dlsym. Without the library,
 * nft_ctx_new returns NULL with errno ENOENT and ipMasq says so.
 */
#ifdef __linux__
#include <dlfcn.h>
#include <errno.h>
#include <nftables/libnftables.h>
#include <stddef.h>

static void *lib;

static void *
sym(const char *name)
{
	if (lib == NULL && (lib = dlopen("libnftables.so.1", RTLD_NOW | RTLD_LOCAL)) == NULL)
		return NULL;
	return dlsym(lib, name);
}

#define NFT_CALL(type, name, args, call, fail) \
	type name args \
	{ \
		type (*f) args = (type (*) args)sym(#name); \
		if (f == NULL) { \
			errno = ENOENT; \
			return fail; \
		} \
		return f call; \
	}

NFT_CALL(struct nft_ctx *, nft_ctx_new, (uint32_t flags), (flags), NULL)
NFT_CALL(int, nft_ctx_buffer_output, (struct nft_ctx *ctx), (ctx), -1)
NFT_CALL(int, nft_ctx_buffer_error, (struct nft_ctx *ctx), (ctx), -1)
NFT_CALL(const char *, nft_ctx_get_output_buffer, (struct nft_ctx *ctx), (ctx), "")
NFT_CALL(const char *, nft_ctx_get_error_buffer, (struct nft_ctx *ctx), (ctx), "")
NFT_CALL(int, nft_run_cmd_from_buffer, (struct nft_ctx *nft, const char *buf), (nft, buf), -1)

void
nft_ctx_free(struct nft_ctx *ctx)
{
	void (*f)(struct nft_ctx *) = (void (*)(struct nft_ctx *))sym("nft_ctx_free");

	if (f != NULL)
		f(ctx);
}

void
nft_ctx_output_set_flags(struct nft_ctx *ctx, unsigned int flags)
{
	void (*f)(struct nft_ctx *, unsigned int) =
	    (void (*)(struct nft_ctx *, unsigned int))sym("nft_ctx_output_set_flags");

	if (f != NULL)
		f(ctx, flags);
}
#endif /* __linux__ */
