/*
 * epoll_chat: the benchmark's C reference chat server, a single-threaded line relay on epoll,
 * edge-triggered, written the way a tuned server would be.
 *
 *   epoll_chat <port>      port 0 picks a free one; listens on 127.0.0.1 only
 *
 * Prints "epoll_chat ready on 127.0.0.1:PORT (...)" once it accepts, serves until SIGTERM or
 * SIGINT, then closes everything, prints a "summary:" line and exits 0.
 *
 * Protocol: each client's byte stream is framed on '\n'; every complete line goes, unchanged, to
 * every connected client, the sender included. A partial line waits in its sender's buffer. A
 * line longer than MAX_LINE (not counting '\n') closes its sender; at EOF a last partial line is
 * dropped and the client leaves the room: it still gets the lines of the wakeup in which it left
 * (its own last lines among them) and whatever else it is owed, then it is closed.
 *
 * Fan-out: lines completed during one epoll_wait wakeup are appended, in arrival order, to one
 * batch; at the end of the wakeup the batch goes to each client in one send(). What a client's
 * socket does not take (or everything, when it already has pending bytes) is appended to its own
 * pending buffer, sent on EPOLLOUT. So per wakeup a recipient costs one system call however many
 * lines were said, every recipient sees the same order, and no line is ever torn or interleaved.
 * A recipient more than PENDING_LIMIT behind is closed: nobody waits for a slow reader.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_EVENTS 1024
#define READ_BUFFER (64 * 1024)
#define MAX_LINE (64 * 1024)                 /* bytes of a line, not counting its '\n' */
#define PENDING_LIMIT ((size_t)64 << 20)     /* a recipient further behind is closed */
#define KEEP_PENDING_CAPACITY (256 * 1024)   /* drained buffers larger than this are freed */
#define BACKLOG 4096

/* The epoll tag of the two fds that are not clients. */
#define TAG_LISTENER ((void *)1)
#define TAG_SIGNALS  ((void *)2)

struct buf {
    char *data;
    size_t off, len, cap;   /* data[off, len) is the content */
};

struct client {
    int fd;
    int dead;        /* closed during this wakeup; freed at its end (events may still name it) */
    int leaving;     /* read EOF: gets no later lines, closed once its pending output is gone */
    int left_now;    /* read EOF during this wakeup: still gets this wakeup's batch */
    int want_out;    /* EPOLLOUT is in its epoll interest */
    size_t index;    /* in clients[] */
    struct buf partial;  /* an incomplete line */
    struct buf pending;  /* output its socket did not take yet */
};

static int epfd;
static struct client **clients;   /* every open client, in no particular order */
static size_t n_clients, clients_cap;
static int any_dead;
static struct client **leavers;   /* read EOF during this wakeup */
static size_t n_leavers, leavers_cap;

static char read_buf[READ_BUFFER];
static struct buf batch;          /* the lines of this wakeup, in arrival order */

static unsigned long long accepted, closed, lines, deliveries_bytes, short_writes;
static unsigned long long long_line_closes, slow_closes, wakeups_with_lines;

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* Makes room for `more` bytes after data[len), moving the content to the front first when
 * that is enough. Returns -1 when out of memory. */
static int buf_reserve(struct buf *b, size_t more) {
    if (b->cap - b->len >= more) return 0;
    size_t content = b->len - b->off;
    if (b->off > 0 && b->cap - content >= more) {
        memmove(b->data, b->data + b->off, content);
        b->off = 0;
        b->len = content;
        return 0;
    }
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - content < more) cap *= 2;
    char *data = malloc(cap);
    if (!data) return -1;
    if (content) memcpy(data, b->data + b->off, content);
    free(b->data);
    b->data = data;
    b->off = 0;
    b->len = content;
    b->cap = cap;
    return 0;
}

static int buf_append(struct buf *b, const char *src, size_t n) {
    if (buf_reserve(b, n) < 0) return -1;
    memcpy(b->data + b->len, src, n);
    b->len += n;
    return 0;
}

static void buf_free(struct buf *b) {
    free(b->data);
    *b = (struct buf){0};
}

/* Closes the socket now (which also drops it from epoll) but keeps the struct until the end of
 * the wakeup: later events of this wakeup, and the fan-out loop, may still hold its pointer. */
static void kill_client(struct client *c) {
    if (c->dead) return;
    c->dead = 1;
    any_dead = 1;
    close(c->fd);
    closed++;
}

/* Frees the clients killed during this wakeup and closes the gaps they left in clients[]. */
static void reap_dead(void) {
    if (!any_dead) return;
    size_t kept = 0;
    for (size_t i = 0; i < n_clients; i++) {
        struct client *c = clients[i];
        if (c->dead) {
            buf_free(&c->partial);
            buf_free(&c->pending);
            free(c);
        } else {
            c->index = kept;
            clients[kept++] = c;
        }
    }
    n_clients = kept;
    any_dead = 0;
}

static void set_want_out(struct client *c, int on) {
    if (c->want_out == on) return;
    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET | (on ? EPOLLOUT : 0), .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev) < 0) { kill_client(c); return; }
    c->want_out = on;
}

/* Sends from data until done or EAGAIN. Returns the bytes sent, or -1 when the client is gone. */
static ssize_t send_some(struct client *c, const char *data, size_t n) {
    size_t done = 0;
    while (done < n) {
        ssize_t w = send(c->fd, data + done, n - done, MSG_NOSIGNAL);
        if (w > 0) {
            done += (size_t)w;
        } else if (w < 0 && errno == EINTR) {
            continue;
        } else if (w < 0 && errno == EAGAIN) {
            break;
        } else {
            return -1;
        }
    }
    deliveries_bytes += done;
    return (ssize_t)done;
}

/* Queues bytes behind a client's pending output, closing it when it is too far behind. */
static void queue_pending(struct client *c, const char *data, size_t n) {
    size_t behind = c->pending.len - c->pending.off;
    if (behind + n > PENDING_LIMIT) {
        fprintf(stderr, "epoll_chat: closing client fd %d: slow consumer (%zu bytes pending, limit %zu)\n",
                c->fd, behind + n, PENDING_LIMIT);
        slow_closes++;
        kill_client(c);
        return;
    }
    if (buf_append(&c->pending, data, n) < 0) {
        fprintf(stderr, "epoll_chat: closing client fd %d: out of memory for pending output\n", c->fd);
        kill_client(c);
        return;
    }
    set_want_out(c, 1);
}

/* Writes pending output on EPOLLOUT; a leaving client is closed once it has it all. */
static void flush_pending(struct client *c) {
    struct buf *p = &c->pending;
    if (p->len > p->off) {
        ssize_t w = send_some(c, p->data + p->off, p->len - p->off);
        if (w < 0) { kill_client(c); return; }
        p->off += (size_t)w;
        if (p->off < p->len) return;          /* still more: the next EPOLLOUT edge */
    }
    if (p->cap > KEEP_PENDING_CAPACITY) buf_free(p);  /* a burst should not pin its memory */
    else p->off = p->len = 0;
    if (c->leaving && !c->left_now) { kill_client(c); return; }   /* else close_leavers() */
    set_want_out(c, 0);
}

/* Frames n fresh bytes of client c: its complete lines go to the batch, the rest waits.
 * Only the first line of a chunk can be too long: any other lies within the chunk, whose
 * size is at most MAX_LINE. So one memrchr and one copy carry all the chunk's lines. */
static void take_bytes(struct client *c, const char *data, size_t n) {
    const char *last_nl = memrchr(data, '\n', n);
    if (!last_nl) {
        if (c->partial.len + n > MAX_LINE) goto too_long;
        if (buf_append(&c->partial, data, n) < 0) goto no_memory;
        return;
    }
    size_t through = (size_t)(last_nl - data) + 1;   /* data[0, through) ends with a '\n' */
    if (c->partial.len > 0) {
        const char *first_nl = memchr(data, '\n', through);
        if (c->partial.len + (size_t)(first_nl - data) > MAX_LINE) goto too_long;
        if (buf_append(&batch, c->partial.data, c->partial.len) < 0) goto no_memory;
        c->partial.len = 0;
    }
    if (buf_append(&batch, data, through) < 0) goto no_memory;
    for (const char *p = data; p < data + through; p++) {   /* count the lines, for the summary */
        p = memchr(p, '\n', (size_t)(data + through - p));
        lines++;
    }
    size_t rest = n - through;
    if (rest > MAX_LINE) goto too_long;
    if (rest > 0 && buf_append(&c->partial, data + through, rest) < 0) goto no_memory;
    return;
too_long:
    fprintf(stderr, "epoll_chat: closing client fd %d: line longer than %d bytes\n", c->fd, MAX_LINE);
    long_line_closes++;
    kill_client(c);
    return;
no_memory:
    fprintf(stderr, "epoll_chat: closing client fd %d: out of memory\n", c->fd);
    kill_client(c);
}

/* Reads until EAGAIN (edge-triggered: no new event comes for data already there). */
static void read_until_eagain(struct client *c) {
    while (!c->dead && !c->leaving) {
        ssize_t n = recv(c->fd, read_buf, sizeof read_buf, 0);
        if (n > 0) {
            take_bytes(c, read_buf, (size_t)n);
        } else if (n == 0) {
            /* EOF: drop a last partial line and leave the room; close_leavers() closes it once
             * it has been sent this wakeup's batch and anything else it is owed. */
            buf_free(&c->partial);
            if (n_leavers == leavers_cap) {
                size_t cap = leavers_cap ? leavers_cap * 2 : 64;
                struct client **grown = realloc(leavers, cap * sizeof *grown);
                if (!grown) { kill_client(c); return; }
                leavers = grown;
                leavers_cap = cap;
            }
            leavers[n_leavers++] = c;
            c->leaving = c->left_now = 1;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN) {
            return;
        } else {
            kill_client(c);
        }
    }
}

static void on_client_event(struct client *c, uint32_t events) {
    if (c->dead) return;
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) read_until_eagain(c);
    if (c->dead) return;
    if (events & (EPOLLHUP | EPOLLERR)) { kill_client(c); return; }
    if ((events & EPOLLOUT) && c->want_out) flush_pending(c);
}

/* The end of a wakeup: the batch, once, to every client still in the room. */
static void fan_out(void) {
    if (batch.len == 0) return;
    wakeups_with_lines++;
    for (size_t i = 0; i < n_clients; i++) {
        struct client *c = clients[i];
        if (c->dead || (c->leaving && !c->left_now)) continue;
        if (c->pending.len > c->pending.off) {   /* behind already: queue, keep the order */
            queue_pending(c, batch.data, batch.len);
            continue;
        }
        ssize_t w = send_some(c, batch.data, batch.len);
        if (w < 0) { kill_client(c); continue; }
        if ((size_t)w < batch.len) {
            short_writes++;
            queue_pending(c, batch.data + w, batch.len - (size_t)w);
        }
    }
    if (batch.cap > 4 * READ_BUFFER && batch.len < batch.cap / 8) buf_free(&batch);
    else batch.len = 0;
}

/* After the fan-out: those who left this wakeup and are owed nothing more are closed now;
 * the others when EPOLLOUT has drained their pending output (flush_pending). */
static void close_leavers(void) {
    for (size_t i = 0; i < n_leavers; i++) {
        struct client *c = leavers[i];
        c->left_now = 0;
        if (!c->dead && c->pending.len == c->pending.off) kill_client(c);
    }
    n_leavers = 0;
}

static void accept_until_eagain(int listener) {
    for (;;) {
        int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno != EAGAIN) perror("accept4");  /* e.g. EMFILE: retry on the next edge */
            return;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (n_clients == clients_cap) {
            size_t cap = clients_cap ? clients_cap * 2 : 1024;
            struct client **grown = realloc(clients, cap * sizeof *grown);
            if (!grown) { close(fd); continue; }
            clients = grown;
            clients_cap = cap;
        }
        struct client *c = calloc(1, sizeof *c);
        if (!c) { close(fd); continue; }
        c->fd = fd;
        c->index = n_clients;
        clients[n_clients++] = c;
        accepted++;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.ptr = c};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0) { perror("epoll_ctl"); kill_client(c); }
    }
}

static int listen_on_loopback(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) die("socket");
    int one = 1;
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) die("setsockopt SO_REUSEADDR");
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0) die("bind");
    if (listen(fd, BACKLOG) < 0) die("listen");
    return fd;
}

/* Thousands of clients need thousands of descriptors: take all the hard limit allows. */
static void raise_fd_limit(void) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) < 0) perror("setrlimit RLIMIT_NOFILE");
    }
}

int main(int argc, char **argv) {
    char *end;
    long port = argc == 2 ? strtol(argv[1], &end, 10) : -1;
    if (argc != 2 || *end != '\0' || port < 0 || port > 65535) {
        fprintf(stderr, "usage: %s <port>   (0 picks a free one)\n", argv[0]);
        return 2;
    }
    raise_fd_limit();

    /* Signals arrive as readable events on a signalfd: no race with epoll_wait. */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    if (sigprocmask(SIG_BLOCK, &stop_signals, NULL) < 0) die("sigprocmask");
    int sigfd = signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sigfd < 0) die("signalfd");

    int listener = listen_on_loopback((int)port);
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0) die("epoll_create1");
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.ptr = TAG_LISTENER};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, listener, &ev) < 0) die("epoll_ctl listener");
    ev = (struct epoll_event){.events = EPOLLIN, .data.ptr = TAG_SIGNALS};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, sigfd, &ev) < 0) die("epoll_ctl signalfd");

    struct sockaddr_in bound;
    socklen_t bound_len = sizeof bound;
    if (getsockname(listener, (struct sockaddr *)&bound, &bound_len) < 0) die("getsockname");
    printf("epoll_chat ready on 127.0.0.1:%d (edge-triggered, max events %d, read buffer %d bytes, "
           "max line %d bytes, pending limit %zu bytes, one send per client per wakeup)\n",
           ntohs(bound.sin_port), MAX_EVENTS, READ_BUFFER, MAX_LINE, PENDING_LIMIT);
    fflush(stdout);

    static struct epoll_event events[MAX_EVENTS];
    int running = 1;
    while (running) {
        int n = epoll_wait(epfd, events, MAX_EVENTS, -1);
        if (n < 0) {
            if (errno == EINTR) continue;
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            void *tag = events[i].data.ptr;
            if (tag == TAG_LISTENER) accept_until_eagain(listener);
            else if (tag == TAG_SIGNALS) running = 0;
            else on_client_event(tag, events[i].events);
        }
        fan_out();
        close_leavers();
        reap_dead();
    }

    for (size_t i = 0; i < n_clients; i++) kill_client(clients[i]);
    reap_dead();
    free(clients);
    free(leavers);
    buf_free(&batch);
    close(listener);
    close(sigfd);
    close(epfd);
    printf("summary: accepted=%llu closed=%llu lines=%llu deliveries_bytes=%llu short_writes=%llu "
           "wakeups_with_lines=%llu long_line_closes=%llu slow_consumer_closes=%llu\n",
           accepted, closed, lines, deliveries_bytes, short_writes, wakeups_with_lines,
           long_line_closes, slow_closes);
    return 0;
}
