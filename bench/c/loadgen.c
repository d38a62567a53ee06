/*
 * loadgen: the benchmark's load generator, one thread on epoll, for echo and chat servers.
 * It only ever connects to 127.0.0.1: there is deliberately no option to name another host.
 *
 *   loadgen echo     --port P [--connections 50] [--size 64] [--pipeline 1] [--warmup 2] [--duration 5]
 *   loadgen chat     --port P --clients N --lines M [--size 32] [--window 16] [--timeout 120]
 *   loadgen idle     --port P --idle N --active K [--size 64] [--warmup 2] [--duration 5]
 *   loadgen capacity --port P --connections C [--size 16] [--rounds 3] [--timeout 120]
 *   (each also takes --server-pid PID: the server's CPU, RSS and open fds go into the result)
 *
 * Prints one line "result key=value ..." on stdout. Exit 0: the run went as it should; 1: it
 * failed (connect, server closed, wrong bytes, timeout; the result line, if any measurement was
 * made, comes first, with errors > 0, then one "loadgen: ..." line on stderr); 2: bad arguments.
 *
 * Written to cost the server's machine little: one thread, edge-triggered epoll, one shared read
 * buffer, no copies to send (payloads point into a precomputed pattern), a verification that is a
 * memcmp, and every loop bounded by a deadline so that a run always ends by itself.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_S 1000000000ULL
#define NS_PER_MS 1000000ULL

#define READ_BUFFER (64 * 1024)
#define MAX_EVENTS 1024
#define MAX_CONNECTING 256                    /* connects in progress at once: the backlog stays small */
#define CONNECT_ATTEMPTS 5
#define CONNECT_RETRY_PAUSE_NS (100 * NS_PER_MS)
#define CONNECT_PHASE_NS (60 * NS_PER_S)
#define TEARDOWN_NS (10 * NS_PER_S)
#define PATTERN_PERIOD 251                    /* prime: a lost or repeated chunk shifts the pattern */

static const char USAGE[] =
    "usage: loadgen MODE --port P [options]      (always to 127.0.0.1)\n"
    "  loadgen echo     --port P [--connections 50] [--size 64] [--pipeline 1] [--warmup 2] [--duration 5] [--server-pid PID]\n"
    "  loadgen chat     --port P --clients N --lines M [--size 32] [--window 16] [--timeout 120] [--server-pid PID]\n"
    "  loadgen idle     --port P --idle N --active K [--size 64] [--warmup 2] [--duration 5] [--server-pid PID]\n"
    "  loadgen capacity --port P --connections C [--size 16] [--rounds 3] [--timeout 120] [--server-pid PID]\n"
    "Prints one line \"result key=value ...\"; exit 0 on success, 1 when the run failed, 2 on bad arguments.\n";

enum mode { ECHO = 1, CHAT = 2, IDLE = 4, CAPACITY = 8 };

struct options {
    int mode;
    long long port, connections, size, pipeline, server_pid, clients, lines, window, idle, active, rounds;
    double warmup, duration, timeout;
};

static struct options opt;
static char read_buf[READ_BUFFER];
static char first_error[512];
static char result[4096];
static size_t result_len;

/* ---------------------------------------------------------------- small helpers */

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* An epoll_wait timeout to `when`, rounded up, and at most a second so deadlines stay checked. */
static int ms_until(uint64_t now, uint64_t when) {
    if (when <= now) return 0;
    uint64_t ms = (when - now + NS_PER_MS - 1) / NS_PER_MS;
    return ms > 1000 ? 1000 : (int)ms;
}

/* Keeps the first error's words: it is usually the cause, the rest its consequences. */
__attribute__((format(printf, 1, 2))) static void note_error(const char *fmt, ...) {
    if (first_error[0]) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(first_error, sizeof first_error, fmt, ap);
    va_end(ap);
}

__attribute__((format(printf, 1, 2))) static void add_result(const char *fmt, ...) {
    if (result_len >= sizeof result) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(result + result_len, sizeof result - result_len, fmt, ap);
    va_end(ap);
    if (n > 0) result_len += (size_t)n;
}

/* Prints the result line (if a measurement was made), then the error line; the exit code. */
static int finish(int have_result, unsigned long long errors) {
    if (have_result) {
        fputs(result, stdout);
        fputc('\n', stdout);
        fflush(stdout);
    }
    if (errors == 0 && !first_error[0]) return 0;
    if (!first_error[0]) note_error("the run failed");
    if (errors > 1) fprintf(stderr, "loadgen: %s (errors=%llu)\n", first_error, errors);
    else fprintf(stderr, "loadgen: %s\n", first_error);
    return 1;
}

static void *xcalloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fprintf(stderr, "loadgen: out of memory (%zu x %zu bytes)\n", n, size);
        exit(1);
    }
    return p;
}

static int decimal_digits(unsigned long long v) {
    int d = 1;
    while (v >= 10) { v /= 10; d++; }
    return d;
}

/* Writes v in decimal at out; returns the length. */
static size_t put_uint(char *out, unsigned long long v) {
    char tmp[24];
    size_t n = 0;
    do { tmp[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    for (size_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
    return n;
}

/* Parses a canonical decimal (no sign, no leading zero) from *p up to end. */
static int parse_uint(const char **p, const char *end, unsigned long long *out) {
    const char *s = *p;
    unsigned long long v = 0;
    int digits = 0;
    while (s < end && *s >= '0' && *s <= '9' && digits < 19) { v = v * 10 + (unsigned)(*s - '0'); s++; digits++; }
    if (digits == 0 || (digits > 1 && **p == '0')) return -1;
    *p = s;
    *out = v;
    return 0;
}

/* ---------------------------------------------------------------- arguments */

__attribute__((noreturn, format(printf, 1, 2))) static void usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("loadgen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    fputs(USAGE, stderr);
    exit(2);
}

struct optdef {
    const char *name;
    int modes;
    long long *ival;       /* an integer option, or */
    double *dval;          /* a number of seconds */
    double min, max;
};

static void parse_args(int argc, char **argv) {
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(USAGE, stdout);
        exit(0);
    }
    if (argc < 2) usage_error("no mode given");
    if (!strcmp(argv[1], "echo")) opt.mode = ECHO;
    else if (!strcmp(argv[1], "chat")) opt.mode = CHAT;
    else if (!strcmp(argv[1], "idle")) opt.mode = IDLE;
    else if (!strcmp(argv[1], "capacity")) opt.mode = CAPACITY;
    else usage_error("unknown mode '%s'", argv[1]);

    opt.port = -1;
    opt.connections = opt.mode == CAPACITY ? -1 : 50;
    opt.size = opt.mode == CHAT ? 32 : opt.mode == CAPACITY ? 16 : 64;
    opt.pipeline = 1;
    opt.warmup = 2;
    opt.duration = 5;
    opt.server_pid = 0;
    opt.clients = opt.lines = opt.idle = opt.active = -1;
    opt.window = 16;
    opt.timeout = 120;
    opt.rounds = 3;

    const struct optdef defs[] = {
        {"--port", ECHO | CHAT | IDLE | CAPACITY, &opt.port, NULL, 1, 65535},
        {"--server-pid", ECHO | CHAT | IDLE | CAPACITY, &opt.server_pid, NULL, 1, 4194304},
        {"--connections", ECHO | CAPACITY, &opt.connections, NULL, 1, 1000000},
        {"--size", ECHO | CHAT | IDLE | CAPACITY, &opt.size, NULL, 1, 16 << 20},
        {"--pipeline", ECHO, &opt.pipeline, NULL, 1, 1024},
        {"--warmup", ECHO | IDLE, NULL, &opt.warmup, 0, 3600},
        {"--duration", ECHO | IDLE, NULL, &opt.duration, 0.001, 3600},
        {"--clients", CHAT, &opt.clients, NULL, 1, 1000000},
        {"--lines", CHAT, &opt.lines, NULL, 1, 1000000000},
        {"--window", CHAT, &opt.window, NULL, 1, 65536},
        {"--timeout", CHAT | CAPACITY, NULL, &opt.timeout, 0.001, 86400},
        {"--idle", IDLE, &opt.idle, NULL, 0, 1000000},
        {"--active", IDLE, &opt.active, NULL, 1, 1000000},
        {"--rounds", CAPACITY, &opt.rounds, NULL, 1, 1000000},
    };
    for (int i = 2; i < argc; i += 2) {
        const struct optdef *d = NULL;
        for (size_t k = 0; k < sizeof defs / sizeof defs[0]; k++)
            if (!strcmp(argv[i], defs[k].name)) d = &defs[k];
        if (!d) usage_error("unknown option '%s'", argv[i]);
        if (!(d->modes & opt.mode)) usage_error("%s is not an option of mode %s", argv[i], argv[1]);
        if (i + 1 >= argc) usage_error("%s needs a value", argv[i]);
        char *end;
        errno = 0;
        double v = strtod(argv[i + 1], &end);
        if (errno || end == argv[i + 1] || *end || !(v >= d->min && v <= d->max) ||
            (d->ival && v != (double)(long long)v))
            usage_error("bad value '%s' for %s (%s from %g to %g)", argv[i + 1], argv[i],
                        d->ival ? "an integer" : "seconds", d->min, d->max);
        if (d->ival) *d->ival = (long long)v;
        else *d->dval = v;
    }

    if (opt.port < 0) usage_error("--port is required");
    if (opt.mode == CAPACITY && opt.connections < 0) usage_error("--connections is required in capacity mode");
    if (opt.mode == CHAT && (opt.clients < 0 || opt.lines < 0)) usage_error("--clients and --lines are required in chat mode");
    if (opt.mode == IDLE && (opt.idle < 0 || opt.active < 0)) usage_error("--idle and --active are required in idle mode");
    if (opt.mode == ECHO && opt.size * opt.pipeline > (64LL << 20))
        usage_error("--size times --pipeline must be at most 64 MiB");
    if (opt.mode == CHAT) {
        if (opt.size < 16 || opt.size > 65536) usage_error("--size must be from 16 to 65536 in chat mode");
        /* "<i>:<seq>:" must fit before the '\n' */
        long long header = decimal_digits((unsigned long long)(opt.clients - 1)) +
                           decimal_digits((unsigned long long)(opt.lines - 1)) + 2;
        if (header > opt.size - 1) usage_error("--size %lld is too small for %lld clients and %lld lines", opt.size, opt.clients, opt.lines);
    }
    if (opt.mode == CAPACITY) {
        if (opt.size > 65536) usage_error("--size must be at most 65536 in capacity mode");
        long long header = decimal_digits((unsigned long long)(opt.connections - 1)) +
                           decimal_digits((unsigned long long)(opt.rounds - 1)) + 2;
        if (header > opt.size) usage_error("--size %lld is too small to make %lld x %lld distinct messages", opt.size, opt.connections, opt.rounds);
    }
}

/* ---------------------------------------------------------------- /proc: CPU, memory, fds */

static ssize_t read_small_file(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t len = 0;
    while (len + 1 < cap) {
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t)len;
}

/* utime + stime of a process, in clock ticks; -1 if unreadable. The command name (field 2)
 * may hold spaces and parentheses: count fields from the last ')'. */
static long long process_ticks(const char *stat_path) {
    char buf[4096];
    if (read_small_file(stat_path, buf, sizeof buf) < 0) return -1;
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    p++;
    /* after ')': field 3 (state) is token 1, so utime (14) is token 12 and stime (15) token 13 */
    long long utime = -1, stime = -1;
    for (int token = 1; token <= 13; token++) {
        while (*p == ' ') p++;
        if (!*p) return -1;
        char *end;
        long long v = strtoll(p, &end, 10);
        if (token == 12) utime = v;
        if (token == 13) stime = v;
        p = end;
        while (*p && *p != ' ') p++;
    }
    return utime < 0 || stime < 0 ? -1 : utime + stime;
}

/* Busy ticks of all cores: everything in /proc/stat's first line but idle and iowait. */
static long long machine_busy_ticks(void) {
    char buf[1024];
    if (read_small_file("/proc/stat", buf, sizeof buf) < 0) return -1;
    unsigned long long user, nice, system, idle, iowait, irq, softirq, steal = 0;
    int n = sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &user, &nice, &system, &idle, &iowait,
                   &irq, &softirq, &steal);
    if (n < 7) return -1;
    return (long long)(user + nice + system + irq + softirq + steal);
}

struct cpu_sample {
    long long server, self, busy;   /* clock ticks; server -1 when unknown */
};

static struct cpu_sample cpu_take(void) {
    struct cpu_sample s = {-1, -1, -1};
    if (opt.server_pid > 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%lld/stat", opt.server_pid);
        s.server = process_ticks(path);
    }
    s.self = process_ticks("/proc/self/stat");
    s.busy = machine_busy_ticks();
    return s;
}

/* server_cpu_pct, server_cpu_us_per_<unit> (when the server could be read at both ends),
 * client_cpu_pct and other_cpu_pct: the machine's busy time neither was charged for. */
static void add_cpu(const struct cpu_sample *a, const struct cpu_sample *b, double seconds,
                    unsigned long long units, const char *per_unit_key) {
    double hz = (double)sysconf(_SC_CLK_TCK);
    if (hz <= 0) hz = 100;
    if (seconds <= 0) seconds = 1e-9;
    int server_known = a->server >= 0 && b->server >= 0;
    long long server = server_known ? b->server - a->server : 0;
    long long self = a->self >= 0 && b->self >= 0 ? b->self - a->self : 0;
    long long other = a->busy >= 0 && b->busy >= 0 ? b->busy - a->busy - self - server : 0;
    if (server_known)
        add_result(" server_cpu_pct=%.1f server_cpu_%s=%.2f", 100.0 * server / hz / seconds, per_unit_key,
                   units ? 1e6 * server / hz / (double)units : 0.0);
    add_result(" client_cpu_pct=%.1f other_cpu_pct=%.1f", 100.0 * self / hz / seconds, 100.0 * other / hz / seconds);
}

static void add_server_memory(void) {
    if (opt.server_pid <= 0) return;
    char path[64], buf[8192];
    snprintf(path, sizeof path, "/proc/%lld/status", opt.server_pid);
    if (read_small_file(path, buf, sizeof buf) >= 0) {
        char *p = strstr(buf, "\nVmRSS:");
        if (p) add_result(" server_rss_kb=%lld", strtoll(p + 7, NULL, 10));
    }
    snprintf(path, sizeof path, "/proc/%lld/fd", opt.server_pid);
    DIR *dir = opendir(path);
    if (dir) {
        long long fds = 0;
        struct dirent *e;
        while ((e = readdir(dir)) != NULL)
            if (e->d_name[0] != '.') fds++;
        closedir(dir);
        add_result(" server_fds=%lld", fds);
    }
}

/* ---------------------------------------------------------------- latency histogram */

/* Log-linear buckets over nanoseconds: exact below 128 ns, then 128 buckets per power of two
 * (at most 0.8 % wide) up to 2^37 ns (137 s); larger values land in the last bucket. */
#define SUB_BITS 7
#define SUB_COUNT (1 << SUB_BITS)
#define TOP_EXPONENT 36
#define HIST_BUCKETS ((TOP_EXPONENT - SUB_BITS + 2) * SUB_COUNT)

struct histogram {
    uint64_t count, max;
    uint64_t bucket[HIST_BUCKETS];
};

static struct histogram hist;

static void hist_add(uint64_t ns) {
    size_t i;
    if (ns < SUB_COUNT) {
        i = (size_t)ns;
    } else {
        int e = 63 - __builtin_clzll(ns);
        if (e > TOP_EXPONENT) i = HIST_BUCKETS - 1;
        else i = (size_t)(e - SUB_BITS + 1) * SUB_COUNT + (size_t)((ns >> (e - SUB_BITS)) - SUB_COUNT);
    }
    hist.bucket[i]++;
    hist.count++;
    if (ns > hist.max) hist.max = ns;
}

/* The value at percentile p, in microseconds: the middle of its bucket, never above the max. */
static double hist_percentile_us(double p) {
    if (hist.count == 0) return 0;
    double exact = p / 100.0 * (double)hist.count;
    uint64_t rank = (uint64_t)exact;
    if ((double)rank < exact) rank++;   /* rounded up: the smallest value with p % at or below it */
    if (rank < 1) rank = 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < HIST_BUCKETS; i++) {
        seen += hist.bucket[i];
        if (seen < rank) continue;
        size_t group = i / SUB_COUNT, sub = i % SUB_COUNT;
        double low, width;
        if (group == 0) { low = (double)i; width = 1; }
        else { width = (double)(1ULL << (group - 1)); low = (double)(SUB_COUNT + sub) * width; }
        double mid = low + (width - 1) / 2;
        return (mid > (double)hist.max ? (double)hist.max : mid) / 1e3;
    }
    return (double)hist.max / 1e3;
}

/* ---------------------------------------------------------------- connecting and closing */

static void abort_close(int fd) {
    /* RST instead of FIN: no TIME_WAIT left on this side */
    struct linger lg = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(fd);
}

static int check_fd_budget(long long sockets) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (unsigned long long)sockets + 32 > (unsigned long long)rl.rlim_cur) {
        note_error("%lld connections need more descriptors than RLIMIT_NOFILE allows (%llu)", sockets,
                   (unsigned long long)rl.rlim_cur);
        return -1;
    }
    return 0;
}

struct connector {
    int ep, n, in_progress, done, failed;
    int *fds;
    unsigned char *attempts;
    int *retry_idx;            /* a FIFO of connects to retry; the pause is constant, so FIFO is time order */
    uint64_t *retry_at;
    size_t retry_head, retry_tail;
    const char *what;
    struct sockaddr_in addr;
};

static void connect_failed(struct connector *k, int i, int err, uint64_t now) {
    if (k->attempts[i] >= CONNECT_ATTEMPTS) {
        note_error("cannot connect to 127.0.0.1:%lld (%s %d of %d): %s, after %d attempts", opt.port, k->what, i + 1,
                   k->n, strerror(err), CONNECT_ATTEMPTS);
        k->failed = 1;
        return;
    }
    k->retry_idx[k->retry_tail % (size_t)k->n] = i;
    k->retry_at[k->retry_tail % (size_t)k->n] = now + CONNECT_RETRY_PAUSE_NS;
    k->retry_tail++;
}

static void connect_start(struct connector *k, int i, uint64_t now) {
    k->attempts[i]++;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        note_error("socket: %s (%s %d of %d)", strerror(errno), k->what, i + 1, k->n);
        k->failed = 1;
        return;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&k->addr, sizeof k->addr) == 0) {
        k->fds[i] = fd;
        k->done++;
        return;
    }
    if (errno != EINPROGRESS) {
        int err = errno;
        close(fd);
        connect_failed(k, i, err, now);
        return;
    }
    struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = (uint64_t)i};
    if (epoll_ctl(k->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
        note_error("epoll_ctl: %s", strerror(errno));
        abort_close(fd);
        k->failed = 1;
        return;
    }
    k->fds[i] = fd;
    k->in_progress++;
}

/* Connects n sockets to 127.0.0.1:port, at most MAX_CONNECTING in progress at a time, so the
 * server's listen backlog never overflows (an overflow costs a 1 s SYN retransmit, or worse).
 * fds[i] is -1 for those not connected. Returns 0 when all are, -1 otherwise (error noted). */
static int connect_all(int *fds, int n, const char *what) {
    struct connector k = {.n = n, .fds = fds, .what = what};
    k.addr = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)opt.port),
                                  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    for (int i = 0; i < n; i++) fds[i] = -1;
    if (n == 0) return 0;
    k.ep = epoll_create1(EPOLL_CLOEXEC);
    if (k.ep < 0) { note_error("epoll_create1: %s", strerror(errno)); return -1; }
    k.attempts = xcalloc((size_t)n, 1);
    k.retry_idx = xcalloc((size_t)n, sizeof *k.retry_idx);
    k.retry_at = xcalloc((size_t)n, sizeof *k.retry_at);
    int next = 0;
    uint64_t deadline = now_ns() + CONNECT_PHASE_NS;
    static struct epoll_event evs[MAX_CONNECTING];

    while (k.done < n && !k.failed) {
        uint64_t now = now_ns();
        if (now >= deadline) {
            note_error("timed out connecting %s: %d of %d connected after %llu s", what, k.done, n,
                       CONNECT_PHASE_NS / NS_PER_S);
            k.failed = 1;
            break;
        }
        while (k.in_progress < MAX_CONNECTING && !k.failed) {
            int i;
            if (k.retry_head != k.retry_tail && k.retry_at[k.retry_head % (size_t)n] <= now)
                i = k.retry_idx[k.retry_head++ % (size_t)n];
            else if (next < n) i = next++;
            else break;
            connect_start(&k, i, now);
        }
        if (k.failed || k.done == n) break;
        int timeout = ms_until(now, deadline);
        if (k.retry_head != k.retry_tail) {
            int t = ms_until(now, k.retry_at[k.retry_head % (size_t)n]);
            if (t < timeout) timeout = t;
        }
        int got = epoll_wait(k.ep, evs, MAX_CONNECTING, timeout);
        if (got < 0 && errno != EINTR) { note_error("epoll_wait: %s", strerror(errno)); k.failed = 1; break; }
        now = now_ns();
        for (int e = 0; e < got; e++) {
            int i = (int)evs[e].data.u64;
            int err = 0;
            socklen_t len = sizeof err;
            if (getsockopt(fds[i], SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
            epoll_ctl(k.ep, EPOLL_CTL_DEL, fds[i], NULL);
            k.in_progress--;
            if (err == 0) {
                k.done++;
            } else {
                close(fds[i]);
                fds[i] = -1;
                connect_failed(&k, i, err, now);
            }
        }
    }
    if (k.failed) {   /* connects still in progress are of no use now */
        for (int i = 0; i < n; i++) {
            int registered = fds[i] >= 0 && epoll_ctl(k.ep, EPOLL_CTL_DEL, fds[i], NULL) == 0;
            if (registered) { abort_close(fds[i]); fds[i] = -1; }
        }
    }
    close(k.ep);
    free(k.attempts);
    free(k.retry_idx);
    free(k.retry_at);
    return k.failed ? -1 : 0;
}

/* Closes sockets without leaving TIME_WAIT here: shut our side, let the server close first
 * (it does on EOF), read its FIN, then close. Whatever is still open after TEARDOWN_NS is reset. */
static void teardown(int *fds, int n) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    int open = 0;
    for (int i = 0; i < n; i++) {
        if (fds[i] < 0) continue;
        shutdown(fds[i], SHUT_WR);
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.u64 = (uint64_t)i};
        if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) < 0) { abort_close(fds[i]); fds[i] = -1; }
        else open++;
    }
    uint64_t deadline = now_ns() + TEARDOWN_NS;
    static struct epoll_event evs[MAX_EVENTS];
    while (open > 0) {
        uint64_t now = now_ns();
        if (now >= deadline) break;
        int got = epoll_wait(ep, evs, MAX_EVENTS, ms_until(now, deadline));
        if (got < 0 && errno != EINTR) break;
        for (int e = 0; e < got; e++) {
            int i = (int)evs[e].data.u64;
            for (int reads = 0; reads < 16; reads++) {   /* level-triggered: the rest comes next wakeup */
                ssize_t r = recv(fds[i], read_buf, sizeof read_buf, 0);
                if (r > 0) continue;
                if (r < 0 && errno == EINTR) continue;
                if (r < 0 && errno == EAGAIN) break;
                close(fds[i]);   /* EOF (or reset): the server closed first */
                fds[i] = -1;
                open--;
                break;
            }
        }
    }
    for (int i = 0; i < n; i++)
        if (fds[i] >= 0) { abort_close(fds[i]); fds[i] = -1; }
    if (ep >= 0) close(ep);
}

/* ---------------------------------------------------------------- echo and idle modes */

/* The byte at stream offset o of connection c is pattern[(o + c's shift) % PATTERN_PERIOD];
 * the table repeats the period far enough that any send or read is one contiguous slice. */
static char *pattern;

static void make_pattern(size_t longest) {
    pattern = xcalloc(PATTERN_PERIOD + longest, 1);
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < PATTERN_PERIOD; i++) {
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        pattern[i] = (char)(x >> 24);
    }
    for (size_t i = PATTERN_PERIOD; i < PATTERN_PERIOD + longest; i++) pattern[i] = pattern[i - PATTERN_PERIOD];
}

struct econn {
    int fd, alive;
    uint32_t shift;
    uint64_t sent, issued, recvd, done;   /* bytes written, bytes of messages started, bytes echoed; messages done */
    uint64_t *stamps;                     /* when message k's first byte was written, at k % pipeline */
};

struct echo_run {
    int ep, n, alive, measuring;
    size_t size, pipeline;
    struct econn *conns;
    unsigned long long requests, errors;
};

__attribute__((format(printf, 3, 4))) static void econn_fail(struct echo_run *x, struct econn *c, const char *fmt, ...) {
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    note_error("connection %d: %s", (int)(c - x->conns) + 1, what);
    x->errors++;
    c->alive = 0;
    x->alive--;
    epoll_ctl(x->ep, EPOLL_CTL_DEL, c->fd, NULL);   /* the fd stays open, for teardown */
}

static void econn_write(struct echo_run *x, struct econn *c, uint64_t t) {
    while (c->alive && c->sent < c->issued) {
        size_t want = (size_t)(c->issued - c->sent);
        ssize_t w = send(c->fd, pattern + (c->sent + c->shift) % PATTERN_PERIOD, want, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) return;   /* EPOLLOUT (edge-triggered) comes when there is room */
            econn_fail(x, c, "send: %s", strerror(errno));
            return;
        }
        /* stamp the messages whose first byte this write carried */
        for (uint64_t k = (c->sent + x->size - 1) / x->size; k * x->size < c->sent + (uint64_t)w; k++)
            c->stamps[k % x->pipeline] = t;
        c->sent += (uint64_t)w;
    }
}

static void econn_read(struct echo_run *x, struct econn *c, uint32_t events, uint64_t t) {
    /* A short read drained the socket, and data arriving later raises a new edge; but a FIN that
     * came with this edge raises none, so then read on until EOF or EAGAIN. */
    int until_eagain = (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;
    for (;;) {
        ssize_t n = recv(c->fd, read_buf, sizeof read_buf, 0);
        if (n > 0) {
            if (c->recvd + (uint64_t)n > c->sent) {
                econn_fail(x, c, "the server sent %llu bytes more than were sent to it",
                           (unsigned long long)(c->recvd + (uint64_t)n - c->sent));
                return;
            }
            const char *expected = pattern + (c->recvd + c->shift) % PATTERN_PERIOD;
            if (memcmp(read_buf, expected, (size_t)n) != 0) {
                size_t at = 0;
                while (read_buf[at] == expected[at]) at++;
                econn_fail(x, c, "wrong echo at byte %llu: expected 0x%02x, got 0x%02x",
                           (unsigned long long)(c->recvd + at), (unsigned char)expected[at], (unsigned char)read_buf[at]);
                return;
            }
            c->recvd += (uint64_t)n;
            while (c->recvd >= (c->done + 1) * x->size) {
                if (x->measuring) {
                    hist_add(t - c->stamps[c->done % x->pipeline]);
                    x->requests++;
                }
                c->done++;
                c->issued += x->size;   /* closed loop: the next message takes the free slot */
            }
            if (n < (ssize_t)sizeof read_buf && !until_eagain) break;
            continue;
        }
        if (n == 0) { econn_fail(x, c, "the server closed the connection"); return; }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) break;
        econn_fail(x, c, "recv: %s", strerror(errno));
        return;
    }
    econn_write(x, c, t);
}

#define IDLE_TAG (1ULL << 32)   /* epoll data of idle connections: IDLE_TAG | index */

/* Runs echo connections (plus idle ones that must stay silent) for warmup + duration;
 * returns 1 when a measured window was reached. */
static int echo_loop(struct echo_run *x, int *idle_fds, struct cpu_sample *before,
                     struct cpu_sample *after, double *seconds) {
    uint64_t t0 = now_ns();
    uint64_t measure_from = t0 + (uint64_t)(opt.warmup * 1e9);
    uint64_t measure_until = measure_from + (uint64_t)(opt.duration * 1e9);
    uint64_t window_start = 0, window_end = 0;
    for (int i = 0; i < x->n; i++) {
        struct econn *c = &x->conns[i];
        c->issued = x->pipeline * x->size;
        econn_write(x, c, now_ns());
    }
    static struct epoll_event evs[MAX_EVENTS];
    for (;;) {
        uint64_t now = now_ns();
        if (!x->measuring && now >= measure_from) {
            x->measuring = 1;
            window_start = now;
            *before = cpu_take();
        }
        if (x->measuring && now >= measure_until) { window_end = now; break; }
        if (x->alive == 0) { window_end = now; break; }
        int got = epoll_wait(x->ep, evs, MAX_EVENTS, ms_until(now, x->measuring ? measure_until : measure_from));
        if (got < 0 && errno != EINTR) { note_error("epoll_wait: %s", strerror(errno)); x->errors++; window_end = now_ns(); break; }
        for (int e = 0; e < got; e++) {
            uint64_t tag = evs[e].data.u64;
            if (tag & IDLE_TAG) {
                int i = (int)(tag & 0xffffffffu);
                note_error("idle connection %d: the server %s it", i + 1,
                           evs[e].events & EPOLLIN ? "sent data on (or closed)" : "closed");
                x->errors++;
                epoll_ctl(x->ep, EPOLL_CTL_DEL, idle_fds[i], NULL);
                continue;
            }
            struct econn *c = &x->conns[tag];
            if (!c->alive) continue;
            uint64_t t = now_ns();
            if (evs[e].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) econn_read(x, c, evs[e].events, t);
            if (c->alive && (evs[e].events & EPOLLOUT)) econn_write(x, c, t);
        }
    }
    if (!x->measuring) return 0;
    *after = cpu_take();
    *seconds = (double)(window_end - window_start) / 1e9;
    return 1;
}

static int run_echo_or_idle(void) {
    int idle_mode = opt.mode == IDLE;
    int n_idle = idle_mode ? (int)opt.idle : 0;
    int n = idle_mode ? (int)opt.active : (int)opt.connections;
    if (check_fd_budget((long long)n + n_idle) < 0) return finish(0, 1);

    struct echo_run x = {.n = n, .alive = n, .size = (size_t)opt.size, .pipeline = idle_mode ? 1 : (size_t)opt.pipeline};
    make_pattern(x.size * x.pipeline > READ_BUFFER ? x.size * x.pipeline : READ_BUFFER);
    int *all_fds = xcalloc((size_t)(n + n_idle), sizeof *all_fds);   /* idle first, then active */
    int *idle_fds = all_fds, *active_fds = all_fds + n_idle;
    for (int i = 0; i < n + n_idle; i++) all_fds[i] = -1;
    int rc_fail = 0;

    if (connect_all(idle_fds, n_idle, "idle connection") < 0 ||
        connect_all(active_fds, n, idle_mode ? "active connection" : "connection") < 0) {
        teardown(all_fds, n + n_idle);
        return finish(0, 1);
    }
    x.ep = epoll_create1(EPOLL_CLOEXEC);
    if (x.ep < 0) { note_error("epoll_create1: %s", strerror(errno)); rc_fail = 1; }
    for (int i = 0; i < n_idle && !rc_fail; i++) {
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.u64 = IDLE_TAG | (uint64_t)i};
        if (epoll_ctl(x.ep, EPOLL_CTL_ADD, idle_fds[i], &ev) < 0) { note_error("epoll_ctl: %s", strerror(errno)); rc_fail = 1; }
    }
    x.conns = xcalloc((size_t)n, sizeof *x.conns);
    uint64_t *stamps = xcalloc((size_t)n * x.pipeline, sizeof *stamps);
    for (int i = 0; i < n && !rc_fail; i++) {
        struct econn *c = &x.conns[i];
        c->fd = active_fds[i];
        c->alive = 1;
        c->shift = (uint32_t)(((uint64_t)i * 97) % PATTERN_PERIOD);
        c->stamps = stamps + (size_t)i * x.pipeline;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.u64 = (uint64_t)i};
        if (epoll_ctl(x.ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) { note_error("epoll_ctl: %s", strerror(errno)); rc_fail = 1; }
    }
    if (rc_fail) {
        if (x.ep >= 0) close(x.ep);
        teardown(all_fds, n + n_idle);
        return finish(0, 1);
    }

    struct cpu_sample before, after;
    double seconds = 0;
    int measured = echo_loop(&x, idle_fds, &before, &after, &seconds);
    if (measured) {
        double rps = seconds > 0 ? (double)x.requests / seconds : 0;
        if (idle_mode)
            add_result("result idle=%d active=%d size=%zu requests=%llu seconds=%.3f rps=%.0f", n_idle, n, x.size,
                       x.requests, seconds, rps);
        else
            add_result("result requests=%llu seconds=%.3f rps=%.0f mbps=%.2f", x.requests, seconds, rps,
                       rps * (double)x.size / 1e6);
        add_result(" p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f errors=%llu", hist_percentile_us(50),
                   hist_percentile_us(99), hist_percentile_us(99.9), (double)hist.max / 1e3, x.errors);
        add_cpu(&before, &after, seconds, x.requests, "us_per_req");
        add_server_memory();
    } else if (x.errors == 0) {
        x.errors = 1;
    }
    close(x.ep);
    teardown(all_fds, n + n_idle);
    free(stamps);
    free(x.conns);
    free(all_fds);
    return finish(measured, x.errors);
}

/* ---------------------------------------------------------------- capacity mode */

struct cconn {
    int fd, alive, round_done;
    uint32_t sent, got;
};

struct capacity_run {
    int ep, n, left;          /* left: connections whose echo of this round is still missing */
    size_t size;
    unsigned long long round, echoed;
    struct cconn *conns;
    char *msg;
    uint64_t last;
};

/* Message of connection i in round r: "<i>:<r>:" then filler, all a function of (i, r, j). */
static void capacity_message(char *out, size_t size, unsigned long long i, unsigned long long r) {
    size_t h = put_uint(out, i);
    out[h++] = ':';
    h += put_uint(out + h, r);
    out[h++] = ':';
    for (size_t j = h; j < size; j++) out[j] = (char)('a' + (i * 7 + r * 13 + j * 3) % 26);
}

__attribute__((format(printf, 3, 4))) static void cconn_fail(struct capacity_run *x, struct cconn *c, const char *fmt, ...) {
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    note_error("connection %d, round %llu: %s", (int)(c - x->conns) + 1, x->round + 1, what);
    c->alive = 0;
    if (!c->round_done) x->left--;
    epoll_ctl(x->ep, EPOLL_CTL_DEL, c->fd, NULL);   /* the fd stays open, for teardown */
}

static void cconn_write(struct capacity_run *x, struct cconn *c) {
    if (c->sent == x->size) return;
    capacity_message(x->msg, x->size, (unsigned long long)(c - x->conns), x->round);
    while (c->sent < x->size) {
        ssize_t w = send(c->fd, x->msg + c->sent, x->size - c->sent, MSG_NOSIGNAL);
        if (w > 0) { c->sent += (uint32_t)w; continue; }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) return;   /* EPOLLOUT (edge-triggered) comes when there is room */
        cconn_fail(x, c, "send: %s", strerror(errno));
        return;
    }
}

static void cconn_read(struct capacity_run *x, struct cconn *c) {
    for (;;) {
        ssize_t n = recv(c->fd, read_buf, sizeof read_buf, 0);
        if (n > 0) {
            if ((size_t)n > c->sent - c->got) { cconn_fail(x, c, "the server sent more bytes than were sent to it"); return; }
            capacity_message(x->msg, x->size, (unsigned long long)(c - x->conns), x->round);
            if (memcmp(read_buf, x->msg + c->got, (size_t)n) != 0) { cconn_fail(x, c, "wrong echo"); return; }
            c->got += (uint32_t)n;
            if (c->got == x->size) {
                c->round_done = 1;
                x->echoed++;
                x->left--;
                x->last = now_ns();
            }
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        cconn_fail(x, c, "%s", n == 0 ? "the server closed the connection" : strerror(errno));
        return;
    }
}

static int run_capacity(void) {
    int n = (int)opt.connections;
    unsigned long long rounds = (unsigned long long)opt.rounds;
    if (check_fd_budget(n) < 0) return finish(0, 1);
    struct capacity_run x = {.n = n, .size = (size_t)opt.size};
    int *fds = xcalloc((size_t)n, sizeof *fds);
    x.conns = xcalloc((size_t)n, sizeof *x.conns);
    x.msg = xcalloc(x.size, 1);
    int ok = connect_all(fds, n, "connection") == 0;
    int connected = 0;
    for (int i = 0; i < n; i++) connected += fds[i] >= 0;
    uint64_t start = now_ns();
    x.last = start;
    x.ep = epoll_create1(EPOLL_CLOEXEC);
    if (x.ep < 0) { note_error("epoll_create1: %s", strerror(errno)); ok = 0; }
    for (int i = 0; i < n && ok; i++) {
        x.conns[i].fd = fds[i];
        x.conns[i].alive = 1;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.u64 = (uint64_t)i};
        if (epoll_ctl(x.ep, EPOLL_CTL_ADD, fds[i], &ev) < 0) { note_error("epoll_ctl: %s", strerror(errno)); ok = 0; }
    }

    uint64_t deadline = start + (uint64_t)(opt.timeout * 1e9);
    static struct epoll_event evs[MAX_EVENTS];
    for (x.round = 0; ok && x.round < rounds; x.round++) {
        x.left = 0;
        for (int i = 0; i < n; i++) {
            struct cconn *c = &x.conns[i];
            c->sent = c->got = 0;
            c->round_done = 0;
            if (c->alive) x.left++;
        }
        for (int i = 0; i < n; i++)
            if (x.conns[i].alive) cconn_write(&x, &x.conns[i]);
        while (x.left > 0) {
            uint64_t now = now_ns();
            if (now >= deadline) {
                note_error("timed out after %.0f s in round %llu of %llu: %d echoes missing", opt.timeout, x.round + 1,
                           rounds, x.left);
                ok = 0;
                break;
            }
            int got = epoll_wait(x.ep, evs, MAX_EVENTS, ms_until(now, deadline));
            if (got < 0 && errno != EINTR) { note_error("epoll_wait: %s", strerror(errno)); ok = 0; break; }
            for (int e = 0; e < got; e++) {
                struct cconn *c = &x.conns[evs[e].data.u64];
                if (c->alive && (evs[e].events & EPOLLOUT)) cconn_write(&x, c);
                if (c->alive && (evs[e].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) cconn_read(&x, c);
            }
        }
    }
    /* measured while every connection is still open */
    double seconds = (double)(x.last - start) / 1e9;
    unsigned long long errors = (unsigned long long)n * rounds - x.echoed;
    add_result("result connections=%d connected=%d rounds=%llu echoed=%llu seconds=%.3f errors=%llu", n, connected,
               rounds, x.echoed, seconds, errors);
    add_server_memory();
    if (x.ep >= 0) close(x.ep);
    teardown(fds, n);
    free(x.msg);
    free(x.conns);
    free(fds);
    return finish(1, errors);
}

/* ---------------------------------------------------------------- chat mode */

/* Start barrier, in two steps, because a connect that completed may still wait in the server's
 * accept queue, and a client not yet in the room misses what is said meanwhile:
 *   join:  each client sends "j<id>\n" and waits for its own line back (then it is in the room);
 *   hello: once all are in, each sends "h<id>\n", and every client must get all N hellos.
 * The measured phase starts when all have; from then on only measured lines are valid. */
enum phase { PH_JOIN, PH_HELLO, PH_RUN };

struct chat_client {
    int fd, alive;
    uint32_t id;
    char *out;                /* bytes to send: out[out_off, out_len) */
    size_t out_off, out_len, out_cap;
    char *part;               /* an incomplete received line */
    size_t part_len;
    uint64_t sent, own_back, received, hellos;
    int joined;
};

struct chat_run {
    int ep, stop;
    enum phase phase;
    uint64_t n, m, size, window, maxl;
    struct chat_client *cl;
    void *next_seq;           /* n x n: per recipient, the next sequence expected from each sender */
    int seq_width;            /* 1, 2 or 4 bytes, the least that holds m */
    char *fill;               /* 64 filler bytes, repeated to cover a line */
    uint64_t joined, barrier, hellos, deliveries, done_clients;
    unsigned long long bad, disconnects;
    uint64_t t_first, t_last;
};

static uint64_t seq_get(struct chat_run *x, uint64_t at) {
    switch (x->seq_width) {
    case 1: return ((uint8_t *)x->next_seq)[at];
    case 2: return ((uint16_t *)x->next_seq)[at];
    default: return ((uint32_t *)x->next_seq)[at];
    }
}

static void seq_set(struct chat_run *x, uint64_t at, uint64_t v) {
    switch (x->seq_width) {
    case 1: ((uint8_t *)x->next_seq)[at] = (uint8_t)v; break;
    case 2: ((uint16_t *)x->next_seq)[at] = (uint16_t)v; break;
    default: ((uint32_t *)x->next_seq)[at] = (uint32_t)v; break;
    }
}

/* Where line (sender, seq)'s filler starts in the 64-byte cycle. */
static unsigned filler_base(uint64_t sender, uint64_t seq) {
    return (unsigned)((uint32_t)(sender * 2654435761u + seq * 2246822519u + 0x9e3779b9u) >> 26);
}

static void chat_bad_line(struct chat_run *x, struct chat_client *c, const char *why, const char *line, size_t len) {
    char shown[48];
    size_t k = 0;
    for (; k < len && k < sizeof shown - 1; k++) shown[k] = line[k] >= 32 && line[k] < 127 ? line[k] : '?';
    shown[k] = '\0';
    note_error("client %u received a wrong line (%s): \"%s%s\"", c->id, why, shown, len > k ? "..." : "");
    x->bad++;
    x->stop = 1;
}

static void chat_line(struct chat_run *x, struct chat_client *c, const char *line, size_t len, uint64_t t) {
    const char *p = line, *end = line + len;
    unsigned long long sender, seq;
    if (x->phase == PH_RUN) {
        if (len != x->size - 1) { chat_bad_line(x, c, "wrong length", line, len); return; }
        if (parse_uint(&p, end, &sender) < 0 || p == end || *p++ != ':' || parse_uint(&p, end, &seq) < 0 ||
            p == end || *p++ != ':' || sender >= x->n) {
            chat_bad_line(x, c, "bad header", line, len);
            return;
        }
        uint64_t at = (uint64_t)c->id * x->n + sender;
        uint64_t expected = seq_get(x, at);
        if (seq != expected) {
            char why[96];
            snprintf(why, sizeof why, "from client %llu: sequence %llu, expected %llu", sender, seq,
                     (unsigned long long)expected);
            chat_bad_line(x, c, why, line, len);
            return;
        }
        size_t header = (size_t)(p - line);
        if (memcmp(p, x->fill + ((filler_base(sender, seq) + header) & 63), len - header) != 0) {
            chat_bad_line(x, c, "wrong filler", line, len);
            return;
        }
        seq_set(x, at, expected + 1);
        c->received++;
        x->deliveries++;
        x->t_last = t;
        if (sender == c->id) c->own_back++;
        if (c->received == x->n * x->m) x->done_clients++;
        return;
    }
    char kind = len > 0 ? line[0] : '\0';
    p++;
    if ((kind != 'j' && kind != 'h') || parse_uint(&p, end, &sender) < 0 || p != end || sender >= x->n) {
        chat_bad_line(x, c, "not a join or hello line", line, len);
        return;
    }
    if (kind == 'j') {   /* others' joins are just noise; one's own says one is in the room */
        if (sender == c->id && !c->joined) { c->joined = 1; x->joined++; }
        return;
    }
    if (x->phase != PH_HELLO) { chat_bad_line(x, c, "hello before every client joined", line, len); return; }
    uint64_t at = (uint64_t)c->id * x->n + sender;
    if (seq_get(x, at)) { chat_bad_line(x, c, "duplicate hello", line, len); return; }
    seq_set(x, at, 1);
    x->hellos++;
    if (++c->hellos == x->n) x->barrier++;
}

/* Frames received bytes into lines; a line may arrive in pieces over several reads. */
static void chat_frame(struct chat_run *x, struct chat_client *c, const char *data, size_t n, uint64_t t) {
    const char *p = data, *end = data + n;
    if (c->part_len > 0) {
        const char *nl = memchr(p, '\n', n);
        size_t piece = nl ? (size_t)(nl - p) : n;
        if (c->part_len + piece > x->maxl) { chat_bad_line(x, c, "too long", c->part, c->part_len); return; }
        memcpy(c->part + c->part_len, p, piece);
        c->part_len += piece;
        if (!nl) return;
        chat_line(x, c, c->part, c->part_len, t);
        c->part_len = 0;
        p = nl + 1;
    }
    while (p < end && !x->stop) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) {
            size_t rest = (size_t)(end - p);
            if (rest > x->maxl) { chat_bad_line(x, c, "too long", p, rest); return; }
            if (!c->part) c->part = xcalloc(x->maxl, 1);
            memcpy(c->part, p, rest);
            c->part_len = rest;
            return;
        }
        chat_line(x, c, p, (size_t)(nl - p), t);
        p = nl + 1;
    }
}

static void chat_disconnected(struct chat_run *x, struct chat_client *c, const char *why) {
    note_error("client %u: %s", c->id, why);
    x->disconnects++;
    x->stop = 1;
    c->alive = 0;
    epoll_ctl(x->ep, EPOLL_CTL_DEL, c->fd, NULL);
}

static void chat_queue(struct chat_client *c, const char *data, size_t n) {
    if (c->out_off == c->out_len) c->out_off = c->out_len = 0;
    if (c->out_cap - c->out_len < n) {
        size_t cap = c->out_cap ? c->out_cap : 256;
        while (cap - c->out_len < n) cap *= 2;
        char *grown = realloc(c->out, cap);
        if (!grown) { fprintf(stderr, "loadgen: out of memory\n"); exit(1); }
        c->out = grown;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, data, n);
    c->out_len += n;
}

static void chat_flush(struct chat_run *x, struct chat_client *c) {
    while (c->alive && c->out_off < c->out_len) {
        ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
        if (w > 0) { c->out_off += (size_t)w; continue; }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) return;   /* EPOLLOUT (edge-triggered) comes when there is room */
        char why[96];
        snprintf(why, sizeof why, "send: %s", strerror(errno));
        chat_disconnected(x, c, why);
    }
}

/* Sends measured lines while the client has fewer than `window` of its own outstanding. */
static void chat_top_up(struct chat_run *x, struct chat_client *c) {
    char line[65536 + 64];
    while (c->sent < x->m && c->sent - c->own_back < x->window) {
        size_t h = put_uint(line, c->id);
        line[h++] = ':';
        h += put_uint(line + h, c->sent);
        line[h++] = ':';
        memcpy(line + h, x->fill + ((filler_base(c->id, c->sent) + h) & 63), x->size - 1 - h);
        line[x->size - 1] = '\n';
        chat_queue(c, line, x->size);
        c->sent++;
    }
    chat_flush(x, c);
}

static void chat_read(struct chat_run *x, struct chat_client *c, uint32_t events, uint64_t t) {
    int until_eagain = (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0;   /* see econn_read */
    for (;;) {
        ssize_t n = recv(c->fd, read_buf, sizeof read_buf, 0);
        if (n > 0) {
            chat_frame(x, c, read_buf, (size_t)n, t);
            if (x->stop) return;
            if (n < (ssize_t)sizeof read_buf && !until_eagain) break;
            continue;
        }
        if (n == 0) { chat_disconnected(x, c, "the server closed the connection"); return; }
        if (errno == EINTR) continue;
        if (errno == EAGAIN) break;
        char why[96];
        snprintf(why, sizeof why, "recv: %s", strerror(errno));
        chat_disconnected(x, c, why);
        return;
    }
    if (x->phase == PH_RUN) chat_top_up(x, c);
}

static int run_chat(void) {
    struct chat_run x = {.n = (uint64_t)opt.clients, .m = (uint64_t)opt.lines, .size = (uint64_t)opt.size,
                         .window = (uint64_t)opt.window, .phase = PH_JOIN};
    x.maxl = x.size - 1 > 24 ? x.size - 1 : 24;
    x.seq_width = x.m <= 0xff ? 1 : x.m <= 0xffff ? 2 : 4;
    int n = (int)x.n;
    if (check_fd_budget(n) < 0) return finish(0, 1);
    x.next_seq = xcalloc((size_t)(x.n * x.n), (size_t)x.seq_width);
    x.fill = xcalloc(64 + x.size, 1);
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < 64 + x.size; i++) x.fill[i] = alphabet[i & 63];
    x.cl = xcalloc(x.n, sizeof *x.cl);
    int *fds = xcalloc(x.n, sizeof *fds);

    if (connect_all(fds, n, "client") < 0) {
        teardown(fds, n);
        return finish(0, 1);
    }
    x.ep = epoll_create1(EPOLL_CLOEXEC);
    if (x.ep < 0) { note_error("epoll_create1: %s", strerror(errno)); teardown(fds, n); return finish(0, 1); }
    for (int i = 0; i < n; i++) {
        struct chat_client *c = &x.cl[i];
        c->fd = fds[i];
        c->alive = 1;
        c->id = (uint32_t)i;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.u64 = (uint64_t)i};
        if (epoll_ctl(x.ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
            note_error("epoll_ctl: %s", strerror(errno));
            close(x.ep);
            teardown(fds, n);
            return finish(0, 1);
        }
    }

    uint64_t start = now_ns(), deadline = start + (uint64_t)(opt.timeout * 1e9);
    struct cpu_sample before = cpu_take(), after;
    char line[32];
    for (int i = 0; i < n; i++) {
        size_t h = 0;
        line[h++] = 'j';
        h += put_uint(line + h, (unsigned long long)i);
        line[h++] = '\n';
        chat_queue(&x.cl[i], line, h);
        chat_flush(&x, &x.cl[i]);
    }
    static struct epoll_event evs[MAX_EVENTS];
    int success = 0;
    uint64_t end = start;
    while (!x.stop) {
        uint64_t now = now_ns();
        end = now;
        if (x.phase == PH_JOIN && x.joined == x.n) {
            x.phase = PH_HELLO;
            for (int i = 0; i < n; i++) {
                size_t h = 0;
                line[h++] = 'h';
                h += put_uint(line + h, (unsigned long long)i);
                line[h++] = '\n';
                chat_queue(&x.cl[i], line, h);
                chat_flush(&x, &x.cl[i]);
            }
            continue;
        }
        if (x.phase == PH_HELLO && x.barrier == x.n) {
            x.phase = PH_RUN;
            memset(x.next_seq, 0, (size_t)(x.n * x.n) * (size_t)x.seq_width);   /* hello marks -> sequences */
            before = cpu_take();
            x.t_first = x.t_last = now_ns();
            for (int i = 0; i < n && !x.stop; i++) chat_top_up(&x, &x.cl[i]);
            continue;
        }
        if (x.phase == PH_RUN && x.done_clients == x.n) { success = 1; end = x.t_last; break; }
        if (now >= deadline) {
            if (x.phase == PH_JOIN)
                note_error("timed out after %.0f s joining: %llu of %llu clients got their own join line back",
                           opt.timeout, (unsigned long long)x.joined, (unsigned long long)x.n);
            else if (x.phase == PH_HELLO)
                note_error("timed out after %.0f s at the start barrier: %llu of %llu hellos received", opt.timeout,
                           (unsigned long long)x.hellos, (unsigned long long)(x.n * x.n));
            else
                note_error("timed out after %.0f s: %llu of %llu lines delivered", opt.timeout,
                           (unsigned long long)x.deliveries, (unsigned long long)(x.n * x.n * x.m));
            break;
        }
        int got = epoll_wait(x.ep, evs, MAX_EVENTS, ms_until(now, deadline));
        if (got < 0 && errno != EINTR) { note_error("epoll_wait: %s", strerror(errno)); break; }
        for (int e = 0; e < got && !x.stop; e++) {
            struct chat_client *c = &x.cl[evs[e].data.u64];
            if (!c->alive) continue;
            uint64_t t = now_ns();
            if (evs[e].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) chat_read(&x, c, evs[e].events, t);
            if (c->alive && !x.stop && (evs[e].events & EPOLLOUT)) chat_flush(&x, c);
        }
    }
    after = cpu_take();
    uint64_t cpu_from = x.phase == PH_RUN ? x.t_first : start;
    if (!success) end = now_ns();
    double cpu_seconds = (double)(end - cpu_from) / 1e9;
    double seconds = x.phase == PH_RUN ? (double)(x.t_last - x.t_first) / 1e9 : 0;
    unsigned long long expected = (unsigned long long)(x.n * x.n * x.m);
    unsigned long long errors = x.bad + x.disconnects;
    if (!success) {
        errors += expected - x.deliveries;
        if (x.phase != PH_RUN) errors += (unsigned long long)(x.n * x.n - x.hellos);
    }
    add_result("result clients=%d lines=%llu size=%llu deliveries=%llu seconds=%.3f deliveries_per_s=%.0f errors=%llu",
               n, (unsigned long long)x.m, (unsigned long long)x.size, (unsigned long long)x.deliveries, seconds,
               seconds > 0 ? (double)x.deliveries / seconds : 0.0, errors);
    add_cpu(&before, &after, cpu_seconds, x.deliveries, "us_per_delivery");
    add_server_memory();

    close(x.ep);
    teardown(fds, n);
    for (int i = 0; i < n; i++) { free(x.cl[i].out); free(x.cl[i].part); }
    free(x.cl);
    free(fds);
    free(x.fill);
    free(x.next_seq);
    return finish(1, errors);
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv) {
    parse_args(argc, argv);
    signal(SIGPIPE, SIG_IGN);   /* sends use MSG_NOSIGNAL; this covers anything else */

    /* thousands of sockets: take all the descriptors the hard limit allows */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    switch (opt.mode) {
    case CHAT: return run_chat();
    case CAPACITY: return run_capacity();
    default: return run_echo_or_idle();
    }
}
