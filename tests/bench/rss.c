/*
 * jnet-bench-rss: run a command; report its wall time (CLOCK_MONOTONIC, from just before
 * fork to just after the wait) and its peak resident set size.
 *
 *   jnet-bench-rss [-o FILE] -- COMMAND [ARG...]
 *
 * Appends one line "WALL_NS PEAK_RSS_KIB" to FILE (default: standard error) and exits with
 * the command's status (128 + signal when it was killed; 127 when it could not be run).
 * The peak RSS is wait4()'s ru_maxrss: the largest resident set of the command or of any of
 * its descendants that were waited for, so for a shell script it is the largest process the
 * script ran, not a sum. GNU time is not needed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	const char *out = NULL;
	struct rusage ru;
	long long t0, t1;
	int ch, status;
	pid_t pid;
	FILE *f;

	while ((ch = getopt(argc, argv, "+o:")) != -1) {
		if (ch != 'o') {
			fprintf(stderr, "usage: jnet-bench-rss [-o FILE] -- COMMAND [ARG...]\n");
			return 2;
		}
		out = optarg;
	}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		fprintf(stderr, "usage: jnet-bench-rss [-o FILE] -- COMMAND [ARG...]\n");
		return 2;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("jnet-bench-rss: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "jnet-bench-rss: %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("jnet-bench-rss: wait4");
			return 127;
		}
	}
	t1 = now_ns();
	f = out != NULL ? fopen(out, "a") : stderr;
	if (f == NULL) {
		fprintf(stderr, "jnet-bench-rss: %s: %s\n", out, strerror(errno));
		return 127;
	}
	fprintf(f, "%lld %ld\n", t1 - t0, ru.ru_maxrss);
	if (f != stderr)
		fclose(f);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
